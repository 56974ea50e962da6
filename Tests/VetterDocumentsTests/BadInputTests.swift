import Foundation
import Testing
import VetterCore
import VetterTesting
import ZIPFoundation
@testable import VetterDocuments

@Suite("Bad and hostile input")
struct BadInputTests {
    func code(_ data: Data, _ name: String, limits: DocumentLimits = DocumentLimits()) -> DocumentError.Code? {
        var readers = DocumentReaders.all
        readers.limits = limits
        do { _ = try readers.read(data, filename: name); return nil } catch { return error.code }
    }

    @Test func emptyFile() {
        #expect(code(Data(), "empty.pdf") == .empty)
    }

    @Test func billionLaughsIsRefused() {
        var xml = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for i in 1...9 { xml += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1 == 0 ? "" : String(i - 1));", count: 10) + "\">" }
        xml += #"]><SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass">&lol9;</SkillsPassport>"#
        #expect(code(Data(xml.utf8), "laughs.xml") == .unsafe)
        // Also refused by libxml2 itself when the pre-check is bypassed.
        #expect(throws: DocumentError.self) { try LibXML.parseXMLUnchecked(Data(xml.utf8)) }
    }

    @Test func externalEntityIsRefused() {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:wordDocument>"#
        #expect(code(Data(xml.utf8), "xxe.doc") == .unsafe)
        let dtd = #"<?xml version="1.0"?><!DOCTYPE SkillsPassport SYSTEM "file:///etc/passwd"><SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass"/>"#
        #expect(code(Data(dtd.utf8), "dtd.xml") == .unsafe)
    }

    @Test func xxeIsNotLoadedEvenWithoutThePreCheck() throws {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><r>before &xxe; after</r>"#
        let root = try LibXML.parseXMLUnchecked(Data(xml.utf8))
        #expect(root.text == "before  after")
    }

    @Test func zipBombIsRefused() throws {
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "[Content_Types].xml", type: .file, uncompressedSize: Int64(10), compressionMethod: .none) { _, _ in Data("<Types/>  ".utf8) }
        let size = 4 * 1024 * 1024
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { position, chunk in
            Data(count: min(chunk, size - Int(position)))
        }
        let data = try #require(archive.data)
        #expect(data.count < 64 * 1024)
        var limits = DocumentLimits()
        limits.maxDecompressedBytes = 2 * 1024 * 1024
        #expect(code(data, "bomb.docx", limits: limits) == .unsafe)  // over the size limit
        #expect(code(data, "bomb.docx") == .unsafe)                  // ratio over 200:1
    }

    /// A directory that points past the end of the data made ZIPFoundation trap (found by the DOCX
    /// fuzz target); it must be a clear `.corrupt` error instead.
    @Test func damagedZIPDirectoryIsCorruptNotACrash() throws {
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "[Content_Types].xml", type: .file, uncompressedSize: Int64(8), compressionMethod: .none) { _, _ in Data("<Types/>".utf8) }
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(9), compressionMethod: .none) { _, _ in Data("<w:doc/> ".utf8) }
        let good = try #require(archive.data)
        #expect(code(good, "ok.docx") != .corrupt)
        var bytes = [UInt8](good)
        let signature: [UInt8] = [0x50, 0x4B, 5, 6]
        let found = (0...(bytes.count - 22)).reversed().first { (start: Int) -> Bool in Array(bytes[start..<(start + 4)]) == signature }
        let eocd = try #require(found)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | (Int(bytes[at + 1]) << 8) }
        let directory: Int = u16(eocd + 16) | (u16(eocd + 18) << 16)
        // The second entry's local-header offset now points far past the end.
        let second: Int = directory + 46 + u16(directory + 28) + u16(directory + 30) + u16(directory + 32)
        for i in 0..<4 { bytes[second + 42 + i] = 0x7F }
        #expect(code(Data(bytes), "pointer.docx") == .corrupt)
        // A directory offset past the end, and a truncated container.
        var offset = [UInt8](good)
        for i in 0..<4 { offset[eocd + 16 + i] = 0xF0 }
        #expect(code(Data(offset), "offset.docx") == .corrupt)
        #expect(code(good.prefix(good.count - 30), "cut.docx") == .corrupt)
    }

    /// A ZIP built by hand: local headers, data and the central directory, sizes as given.
    static func zip(_ entries: [(name: String, method: UInt16, data: [UInt8], uncompressed: Int)]) -> Data {
        var out: [UInt8] = [], directory: [UInt8] = []
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        for entry in entries {
            let name = Array(entry.name.utf8), offset = out.count
            let crc = Int(Data(entry.data).crc32(checksum: 0))
            let common = le(20, 2) + le(0, 2) + le(Int(entry.method), 2) + le(0, 4) + le(crc, 4) + le(entry.data.count, 4) + le(entry.uncompressed, 4) + le(name.count, 2) + le(0, 2)
            out += le(0x0403_4B50, 4) + common + name + entry.data
            directory += le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name
        }
        let start = out.count
        out += directory
        out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(entries.count, 2) + le(entries.count, 2) + le(directory.count, 4) + le(start, 4) + le(0, 2)
        return Data(out)
    }

    /// A deflate stream that does not end within its entry: a stored block announcing 65,535 bytes,
    /// of which the entry holds 3. ZIPFoundation 0.9 inflates on past the entry (the directory
    /// is consumed as the block's content), then reads nothing at the end of the file, for ever:
    /// the DOCX fuzz target found a file that never finished. It must be a `.corrupt` error, at once.
    @Test func deflateStreamThatDoesNotEndIsCorruptNotAHang() throws {
        let types = Array("<Types/>".utf8)
        let endless: [UInt8] = [0x00, 0xFF, 0xFF, 0x00, 0x00] + Array("<w:".utf8)
        let data = Self.zip([("[Content_Types].xml", 0, types, types.count), ("word/document.xml", 8, endless, 100)])
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: DocumentError.Code?
        Thread {
            result = self.code(data, "endless.docx")
            finished.signal()
        }.start()
        // Not a timing assertion: without the check the read never returns at all.
        guard finished.wait(timeout: .now() + 60) == .success else {
            Issue.record("reading a DOCX whose deflate stream does not end did not finish")
            return
        }
        #expect(result == .corrupt)
        // A stream that gives more than its entry declares is damaged too.
        let paragraphs = String(repeating: "<w:p><w:r><w:t>Backend engineer, payments</w:t></w:r></w:p>", count: 20)
        let text = Array("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(paragraphs)</w:body></w:document>".utf8)
        var deflated = [UInt8]()
        _ = try Data.compress(size: Int64(text.count), bufferSize: 4096, provider: { position, size in
            Data(text[Int(position)..<min(text.count, Int(position) + size)])
        }, consumer: { deflated += $0 })
        #expect(code(Self.zip([("[Content_Types].xml", 0, types, types.count), ("word/document.xml", 8, deflated, text.count)]), "ok.docx") != .corrupt)
        #expect(code(Self.zip([("[Content_Types].xml", 0, types, types.count), ("word/document.xml", 8, deflated, text.count - 1)]), "long.docx") == .corrupt)
    }

    @Test func truncatedAndGarbagePDFs() throws {
        let pdf = try Corpus.data("latex-sb2nov/sourabh_bajaj_resume.pdf")
        #expect(code(pdf.prefix(400), "truncated.pdf") == .corrupt)
        #expect(code(Data("%PDF-1.7\n".utf8) + Data(repeating: 0x41, count: 2000), "garbage.pdf") == .corrupt)
        #expect(code(Data([0x50, 0x4B, 0x03, 0x04]) + Data(repeating: 7, count: 300) + Data("word/".utf8), "broken.docx") == .corrupt)
    }

    @Test func encryptedPDF() throws {
        let data = try Data(contentsOf: Corpus.fixtures.appendingPathComponent("encrypted.pdf"))
        #expect(code(data, "encrypted.pdf") == .encrypted)
    }

    @Test func errorsNameTheFileNotTheContent() {
        let xml = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret "Jane Secret Candidate">]><SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass">&secret;</SkillsPassport>"#
        do {
            _ = try DocumentReaders.all.read(Data(xml.utf8), filename: "cv.xml")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message.hasPrefix("cv.xml"))
            #expect(!error.message.contains("Secret"))
        }
    }
}

@Suite("Document indicators")
struct DocumentIndicatorTests {
    @Test(arguments: DocumentIndicators.document.flatMap { indicator in indicator.examples.map { (indicator.descriptor.code, $0.name) } })
    func example(code: String, name: String) throws {
        let indicator = try #require(DocumentIndicators.document.first { $0.descriptor.code == code })
        let example = try #require(indicator.examples.first { $0.name == name })
        let context = try Fixtures.context(for: example)
        let fired: Bool
        if case .fired = indicator.evaluate(context) { fired = true } else { fired = false }
        #expect(fired == example.shouldFire)
    }

    @Test func rationaleSaysNoPublicSource() {
        for indicator in DocumentIndicators.document {
            #expect(indicator.descriptor.rationale.contains("No public source"))
            #expect(indicator.descriptor.defaultPoints <= 5)
        }
    }

    @Test func realUTCMetadataDoesNotFire() throws {
        // Chromium writes +00'00': never counted against a US address.
        let document = try Corpus.read("resume-matcher-templates/two-column.pdf")
        let example = IndicatorExample("x", fires: false, record: #"{"candidate": {"name": "John Doe", "address": {"city": "Austin", "region": "TX", "country": "US"}}}"#)
        var context = try Fixtures.context(for: example)
        context.resume = document
        if case .fired = DocumentCreatedOffsetIndicator().evaluate(context) { Issue.record("fired on a UTC creation time") }
    }
}

@Suite("Text normalisation")
struct TextNormalizationTests {
    @Test func normalisesInOnePass() {
        let raw = "\n\n  \u{FB01}rst line  \r\nsecond\u{00A0}line\u{00AD}\rthird\u{2010}line\u{000C}\n\n\n\nfourth \u{FB03}\t\n\n"
        #expect(TextNormalizer.normalize(raw) == "fi" + "rst line\nsecond line\nthird-line\n\nfourth ffi")
        #expect(TextNormalizer.normalize("") == "")
        #expect(TextNormalizer.normalize("a\r\n\r\n\r\nb") == "a\n\nb")
    }
}
