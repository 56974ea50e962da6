import Foundation
import ZIPFoundation

/// The smallest Word document Vetter's DOCX reader accepts: `[Content_Types].xml`, the package
/// relationships, `word/document.xml` with one paragraph a line, and `docProps/core.xml` with
/// the author and creation time (what the metadata indicators read).
public enum DOCXWriter {
    public static func document(paragraphs: [String], author: String?, created: String?) -> Data {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
            """
        let rels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
            """
        let body = paragraphs.map { "<w:p><w:r><w:t xml:space=\"preserve\">\(esc($0))</w:t></w:r></w:p>" }.joined()
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
            """
        var core = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        if let author { core += "<dc:creator>\(esc(author))</dc:creator><cp:lastModifiedBy>\(esc(author))</cp:lastModifiedBy>" }
        if let created { core += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(created)</dcterms:created>" }
        core += "</cp:coreProperties>"
        let archive: Archive
        do { archive = try Archive(data: Data(), accessMode: .create) } catch { return Data() }
        for (path, text) in [("[Content_Types].xml", contentTypes), ("_rels/.rels", rels), ("word/document.xml", document), ("docProps/core.xml", core)] {
            let data = Data(text.utf8)
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 1_780_000_000),
                                  compressionMethod: .deflate, provider: { position, size in
                                      data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
                                  })
        }
        return archive.data ?? Data()
    }
}
