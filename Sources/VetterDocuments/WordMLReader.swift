import Foundation
import VetterCore

/// Reads Word 2003 XML (WordprocessingML 2003, `<w:wordDocument>`), often saved with a `.doc`
/// extension: detected by content, not by the name.
public struct WordMLReader: DocumentReader {
    static let namespace = "http://schemas.microsoft.com/office/word/2003/wordml"

    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        return head.contains("<w:wordDocument") && head.contains(Self.namespace) ? .wordML : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let root = try LibXML.parseXML(data, filename: filename)
        var metadata = DocumentMetadata()
        if let props = root.child("DocumentProperties") {
            metadata.title = props.child("Title")?.value
            metadata.author = props.child("Author")?.value
            metadata.lastModifiedBy = props.child("LastAuthor")?.value
            metadata.revision = props.child("Revision")?.value.flatMap { Int($0) }
            metadata.totalEditingMinutes = props.child("TotalTime")?.value.flatMap { Int($0) }
            metadata.pageCount = props.child("Pages")?.value.flatMap { Int($0) }
            metadata.application = root.attributes["application"]
            if let c = props.child("Created")?.value, let p = MetadataDates.iso8601(c) {
                metadata.createdRaw = c; metadata.created = p.date; metadata.createdUTCOffsetMinutes = p.offsetMinutes
            }
            if let c = props.child("LastSaved")?.value, let p = MetadataDates.iso8601(c) {
                metadata.modifiedRaw = c; metadata.modified = p.date; metadata.modifiedUTCOffsetMinutes = p.offsetMinutes
            }
        }
        metadata.languages = Array(Set(root.descendants("lang").compactMap { $0.attributes["val"] })).sorted()
        guard let body = root.child("body") else { throw DocumentError(.empty, "\(filename): the Word XML has no body") }
        let text = OOXMLText.text(of: body)
        return try TextNormalizer.document(format: .wordML, filename: filename, text: text, metadata: metadata)
    }
}

/// Text of WordprocessingML bodies (2003 XML and DOCX share the element names).
enum OOXMLText {
    static func text(of body: XMLElement) -> String {
        var out = ""
        func walk(_ e: XMLElement) {
            switch e.name {
            case "t":
                // Word 2003 XML may nest <w:br/> inside <w:t>.
                for c in e.children {
                    switch c {
                    case .text(let t): out += t
                    case .element(let el): if el.name == "br" || el.name == "cr" { out += "\n" } else { out += el.text }
                    }
                }
                return
            case "tab", "ptab": out += "\t"; return
            case "br", "cr": out += "\n"; return
            case "instrText", "delText", "fldData", "binData", "Fallback", "rPr", "pPr", "sectPr", "tblPr", "tcPr", "trPr":
                return
            default: break
            }
            for c in e.elements { walk(c) }
            switch e.name {
            case "p": out += "\n"
            case "tc": if out.hasSuffix("\n") { out.removeLast() }; out += "\t"
            case "tr": out += "\n"
            default: break
            }
        }
        walk(body)
        return out
    }
}
