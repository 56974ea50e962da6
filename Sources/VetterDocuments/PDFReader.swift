import CPoppler
import Crypto
import Foundation
import VetterCore

/// Reads PDF résumés with poppler-glib: text per page in reading order (poppler's text output
/// keeps columns in column order), the Info dictionary, XMP, and embedded files. A Europass PDF
/// carries its Europass XML as an attachment: its fields are used when present.
public struct PDFReader: DocumentReader {
    /// Largest embedded file read (bytes).
    public var maxAttachmentBytes = 5 * 1024 * 1024

    public init() {}

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        // The header may follow a little junk; readers accept it within the first 1024 bytes.
        let head = data.prefix(1024)
        return head.range(of: Data("%PDF-".utf8)) != nil ? .pdf : nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let budget = TimeBudget(limits, filename: filename)
        let bytes = data.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        defer { g_bytes_unref(bytes) }
        var gerr: UnsafeMutablePointer<GError>?
        guard let doc = poppler_document_new_from_bytes(bytes, nil, &gerr) else {
            let code = gerr?.pointee.code ?? -1
            if let gerr { g_error_free(gerr) }
            if code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                throw DocumentError(.encrypted, "\(filename): the PDF is password-protected")
            }
            throw DocumentError(.corrupt, "\(filename): the PDF is damaged or truncated and cannot be opened")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(doc)) }

        let pageCount = Int(poppler_document_get_n_pages(doc))
        guard pageCount > 0 else { throw DocumentError(.corrupt, "\(filename): the PDF has no pages (damaged or truncated)") }
        guard pageCount <= limits.maxPages else {
            throw DocumentError(.tooLarge, "\(filename): \(pageCount) pages is over the \(limits.maxPages)-page limit")
        }
        var warnings: [String] = []
        var pages: [String] = []
        for i in 0..<pageCount {
            try budget.check()
            guard let page = poppler_document_get_page(doc, Int32(i)) else {
                warnings.append("page \(i + 1) could not be read")
                continue
            }
            pages.append(Self.take(poppler_page_get_text(page)) ?? "")
            g_object_unref(UnsafeMutableRawPointer(page))
        }
        for (i, p) in pages.enumerated() where p.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            warnings.append("page \(i + 1) has no text layer (image-only pages are not OCR'd)")
        }

        var metadata = DocumentMetadata()
        metadata.pageCount = pageCount
        metadata.title = Self.clean(Self.take(poppler_document_get_title(doc)))
        metadata.author = Self.clean(Self.take(poppler_document_get_author(doc)))
        metadata.creator = Self.clean(Self.take(poppler_document_get_creator(doc)))
        metadata.producer = Self.clean(Self.take(poppler_document_get_producer(doc)))
        metadata.application = metadata.creator
        // Where the file writes its Info dates and language, as text (ASCII; other bytes "?"):
        // a window after each key, so the patterns below need not scan the whole file.
        let raw = Self.windows(after: ["/Lang", "/CreationDate", "/ModDate"], in: data)
        let xmp = Self.take(poppler_document_get_metadata(doc))
        Self.dates(doc: doc, raw: raw, xmp: xmp, into: &metadata)
        if let xmp {
            metadata.templateIdentity = Self.xmpValue(xmp, "xmpMM:OriginalDocumentID") ?? Self.xmpValue(xmp, "xmpMM:DocumentID")
            if let lang = Self.xmpValue(xmp, "dc:language") { metadata.languages.append(lang) }
        }
        if let lang = Self.firstMatch(#"/Lang\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)"#, in: raw), !metadata.languages.contains(lang) {
            metadata.languages.append(lang)
        }

        // Embedded files (Europass XML, or anything else worth noting).
        var embeddedXML: [(String, Data)] = []
        if poppler_document_has_attachments(doc) != 0, var list = poppler_document_get_attachments(doc) as UnsafeMutablePointer<GList>? {
            let head = list
            defer { g_list_free_full(head) { g_object_unref($0) } }
            while true {
                if let a = list.pointee.data?.assumingMemoryBound(to: PopplerAttachment.self) {
                    let name = a.pointee.name.map { String(cString: $0) } ?? "unnamed"
                    metadata.embeddedFiles.append(name)
                    if a.pointee.size <= maxAttachmentBytes, let content = Self.attachmentData(a, limit: maxAttachmentBytes),
                       name.lowercased().hasSuffix(".xml") || content.prefix(64).range(of: Data("<?xml".utf8)) != nil {
                        embeddedXML.append((name, content))
                    }
                }
                guard let next = list.pointee.next else { break }
                list = next
            }
        }

        // A soft hyphen drawn on the page is a visible hyphen (some TeX fonts map "-" and "–" to
        // U+00AD): kept as "-" inside a line, dropped where it ends one (a word broken across lines).
        var text = pages.joined(separator: "\n\n")
        if text.unicodeScalars.contains("\u{00AD}") {
            text = String(String.UnicodeScalarView(text.unicodeScalars.indices.compactMap { i -> Unicode.Scalar? in
                let scalar = text.unicodeScalars[i]
                guard scalar == "\u{00AD}" else { return scalar }
                let next = text.unicodeScalars.index(after: i)
                return next == text.unicodeScalars.endIndex || text.unicodeScalars[next] == "\n" ? nil : "-"
            }))
        }
        var document = try TextNormalizer.document(
            format: .pdf, filename: filename, text: text, metadata: metadata, warnings: warnings)
        for (name, xml) in embeddedXML {
            try budget.check()
            if let europass = try? EuropassReader.fields(xml, filename: "\(filename) (\(name))") {
                document.fields = EuropassReader.merge(europass, into: document.fields, text: document.text)
                document.warnings.append("fields taken from the embedded Europass XML (\(name))")
                break
            }
        }
        return document
    }

    // MARK: - Helpers

    /// The 160 bytes from each occurrence of each key, in file order, one window per line.
    static func windows(after keys: [String], in data: Data) -> String {
        var found: [Range<Int>] = []
        let needles = keys.map { Array($0.utf8.dropFirst()) }  // every key starts with "/"
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x2F {
                    for needle in needles where i + 1 + needle.count <= bytes.count {
                        var j = 0
                        while j < needle.count, bytes[i + 1 + j] == needle[j] { j += 1 }
                        if j == needle.count { found.append(i..<min(bytes.count, i + 160)); break }
                    }
                }
                i += 1
            }
        }
        return found.sorted { $0.lowerBound < $1.lowerBound }
            .map { range in String(decoding: data[data.startIndex + range.lowerBound ..< data.startIndex + range.upperBound].map { $0 < 0x80 && $0 != 0x0A ? $0 : 0x3F }, as: UTF8.self) }
            .joined(separator: "\n")
    }

    static func take(_ p: UnsafeMutablePointer<gchar>?) -> String? {
        guard let p else { return nil }
        defer { g_free(p) }
        return String(cString: p)
    }

    static func clean(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters)), !t.isEmpty else { return nil }
        return t
    }

    private final class Sink {
        var data = Data()
        let limit: Int
        init(limit: Int) { self.limit = limit }
    }

    static func attachmentData(_ a: UnsafeMutablePointer<PopplerAttachment>, limit: Int) -> Data? {
        let sink = Sink(limit: limit)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        let ok = poppler_attachment_save_to_callback(a, { buf, count, user, _ in
            guard let buf, let user else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
            guard sink.data.count + Int(count) <= sink.limit else { return 0 }
            buf.withMemoryRebound(to: UInt8.self, capacity: Int(count)) { sink.data.append($0, count: Int(count)) }
            return 1
        }, box.toOpaque(), nil)
        return ok != 0 ? sink.data : nil
    }

    static func firstMatch(_ pattern: String, in text: String, last: Bool = false) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return nil }
        let ns = text as NSString
        let all = re.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard let m = last ? all.last : all.first, m.numberOfRanges > 1, m.range(at: 1).location != NSNotFound else { return nil }
        return ns.substring(with: m.range(at: 1))
    }

    static func xmpValue(_ xmp: String, _ key: String) -> String? {
        let k = NSRegularExpression.escapedPattern(for: key)
        if let v = firstMatch(k + #"\s*=\s*"([^"]+)""#, in: xmp) { return v }
        if let v = firstMatch("<" + k + #">\s*(?:<rdf:(?:Alt|Seq|Bag)>\s*<rdf:li[^>]*>)?([^<]+)<"#, in: xmp) {
            return v.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// Creation and modification times with the UTC offset exactly as written: the raw Info-dictionary
    /// string when it is stored uncompressed, else XMP, else poppler's parsed date (whose offset 0 is
    /// ambiguous between "Z" and "no offset", so it is then not recorded).
    static func dates(doc: OpaquePointer, raw: String, xmp: String?, into m: inout DocumentMetadata) {
        let created = date(infoKey: "CreationDate", xmpKey: "xmp:CreateDate", raw: raw, xmp: xmp) { poppler_document_get_creation_date_time(doc) }
        (m.createdRaw, m.created, m.createdUTCOffsetMinutes) = (created.raw, created.date, created.offset)
        let modified = date(infoKey: "ModDate", xmpKey: "xmp:ModifyDate", raw: raw, xmp: xmp) { poppler_document_get_modification_date_time(doc) }
        (m.modifiedRaw, m.modified, m.modifiedUTCOffsetMinutes) = (modified.raw, modified.date, modified.offset)
    }

    /// One Info-dictionary date: the raw string, else the XMP value, else poppler's parsed date.
    private static func date(
        infoKey: String, xmpKey: String, raw: String, xmp: String?, poppler: () -> OpaquePointer?
    ) -> (raw: String?, date: Date?, offset: Int?) {
        if let s = firstMatch("/\(infoKey)\\s*\\((D:[0-9]{4}[^)]*)\\)", in: raw, last: true), let p = MetadataDates.pdf(s) {
            return (s, p.date, p.offsetMinutes)
        }
        if let s = xmp.flatMap({ xmpValue($0, xmpKey) }), let p = MetadataDates.iso8601(s) {
            return (s, p.date, p.offsetMinutes)
        }
        if let dt = poppler() {
            defer { g_date_time_unref(dt) }
            let offset = Int(g_date_time_get_utc_offset(dt) / 60_000_000)
            return (nil, Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix(dt))), offset == 0 ? nil : offset)
        }
        return (nil, nil, nil)
    }
}
