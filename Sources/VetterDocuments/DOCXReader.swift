import Crypto
import Foundation
import VetterCore
import ZIPFoundation

/// Reads Word `.docx` files: body text (paragraphs, tables, headers), `docProps/core.xml` and
/// `app.xml`, language tags, and SHA-256 hashes of embedded images. The ZIP is checked before
/// anything is unpacked: total decompressed size and compression ratio are limited (zip bombs are
/// refused), and every part is read with a running byte count in case the declared sizes lie.
public struct DOCXReader: DocumentReader {
    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        guard DocumentSniffing.hasPrefix(data, [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        // [Content_Types].xml and word/ appear in the local headers near the start of a DOCX.
        let head = data.prefix(64 * 1024)
        if head.range(of: Data("word/".utf8)) != nil || head.range(of: Data("[Content_Types].xml".utf8)) != nil { return .docx }
        return filename.lowercased().hasSuffix(".docx") ? .docx : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let budget = TimeBudget(limits, filename: filename)
        let streams = try ZIPStructure.validate(data, filename: filename)
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw DocumentError(.corrupt, "\(filename): the ZIP container is damaged or truncated")
        }
        // Check declared sizes before unpacking anything.
        var total: UInt64 = 0
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= 10_000 else { throw DocumentError(.unsafe, "\(filename): the ZIP has too many entries") }
            total += entry.uncompressedSize
            if total > UInt64(limits.maxDecompressedBytes) {
                throw DocumentError(.unsafe, "\(filename): the ZIP would unpack to more than \(limits.maxDecompressedBytes) bytes (zip bomb refused)")
            }
            if entry.uncompressedSize > 1024 * 1024 {
                let ratio = Double(entry.uncompressedSize) / Double(max(entry.compressedSize, 1))
                if ratio > limits.maxCompressionRatio {
                    throw DocumentError(.unsafe, "\(filename): a ZIP entry has compression ratio \(Int(ratio)):1, over the \(Int(limits.maxCompressionRatio)):1 limit (zip bomb refused)")
                }
            }
            entries[entry.path] = entry
        }
        try ZIPStructure.checkStreams(data, streams, filename: filename)
        guard entries["word/document.xml"] != nil else {
            throw DocumentError(.unsupportedFormat, "\(filename): a ZIP container that is not a Word document (no word/document.xml)")
        }
        var unpacked = 0
        func part(_ path: String) throws(DocumentError) -> Data? {
            guard let entry = entries[path] else { return nil }
            try budget.check()
            var out = Data()
            let cap = limits.maxDecompressedBytes
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    out.append(chunk)
                    if out.count + unpacked > cap { throw DocumentError(.unsafe, "\(filename): the ZIP unpacks to more than its declared size (zip bomb refused)") }
                }
            } catch let e as DocumentError {
                throw e
            } catch {
                throw DocumentError(.corrupt, "\(filename): the part \(path) is damaged (\(type(of: error)))")
            }
            unpacked += out.count
            return out
        }

        var metadata = DocumentMetadata()
        if let core = try part("docProps/core.xml"), let root = try? LibXML.parseXML(core, filename: filename, part: "core.xml") {
            metadata.title = root.child("title")?.value
            metadata.author = root.child("creator")?.value
            metadata.lastModifiedBy = root.child("lastModifiedBy")?.value
            metadata.revision = root.child("revision")?.value.flatMap { Int($0) }
            if let l = root.child("language")?.value { metadata.languages.append(l) }
            if let c = root.child("created")?.value, let p = MetadataDates.iso8601(c) {
                metadata.createdRaw = c; metadata.created = p.date; metadata.createdUTCOffsetMinutes = p.offsetMinutes
            }
            if let c = root.child("modified")?.value, let p = MetadataDates.iso8601(c) {
                metadata.modifiedRaw = c; metadata.modified = p.date; metadata.modifiedUTCOffsetMinutes = p.offsetMinutes
            }
        }
        if let app = try part("docProps/app.xml"), let root = try? LibXML.parseXML(app, filename: filename, part: "app.xml") {
            let application = root.child("Application")?.value
            let version = root.child("AppVersion")?.value
            metadata.application = [application, version].compactMap { $0 }.joined(separator: " ").trimmed
            metadata.creator = application
            metadata.template = root.child("Template")?.value
            metadata.templateIdentity = metadata.template
            metadata.totalEditingMinutes = root.child("TotalTime")?.value.flatMap { Int($0) }
            metadata.pageCount = root.child("Pages")?.value.flatMap { Int($0) }
        }
        var languages = Set(metadata.languages)
        func collectLanguages(_ root: XMLElement) {
            for l in root.descendants("lang") {
                for key in ["val", "eastAsia", "bidi"] { if let v = l.attributes[key]?.trimmed { languages.insert(v) } }
            }
        }
        if let styles = try part("word/styles.xml"), let root = try? LibXML.parseXML(styles, filename: filename, part: "styles.xml") {
            collectLanguages(root)
        }
        guard let body = try part("word/document.xml") else { throw DocumentError(.corrupt, "\(filename): word/document.xml is missing") }
        let document = try LibXML.parseXML(body, filename: filename, part: "document.xml")
        collectLanguages(document)
        metadata.languages = languages.sorted()

        var text = ""
        for path in entries.keys.sorted() where path.hasPrefix("word/header") && path.hasSuffix(".xml") {
            if let h = try part(path), let root = try? LibXML.parseXML(h, filename: filename, part: path) {
                text += OOXMLText.text(of: root) + "\n"
            }
        }
        text += OOXMLText.text(of: document.child("body") ?? document)
        for path in entries.keys.sorted() where path.hasPrefix("word/media/") {
            if let bytes = try part(path) { metadata.imageHashes.append(SHA256.hash(data: bytes).hexString) }
        }
        for path in entries.keys.sorted() where path.hasPrefix("word/embeddings/") {
            metadata.embeddedFiles.append(String(path.dropFirst("word/embeddings/".count)))
        }
        return try TextNormalizer.document(format: .docx, filename: filename, text: text, metadata: metadata)
    }
}
