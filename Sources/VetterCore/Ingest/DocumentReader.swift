import Crypto
import Foundation

/// Why a document could not be read. The message names the problem, never the content.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let unsupportedFormat = Code(rawValue: "unsupported-format")
        public static let unreadable = Code(rawValue: "unreadable")
        public static let empty = Code(rawValue: "empty")
        public static let tooLarge = Code(rawValue: "too-large")
        public static let corrupt = Code(rawValue: "corrupt")
        public static let encrypted = Code(rawValue: "encrypted")
        public static let unsafe = Code(rawValue: "unsafe")
        public static let timedOut = Code(rawValue: "timed-out")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Limits applied to every document, since documents come from strangers.
public struct DocumentLimits: Sendable, Equatable {
    public var maxFileBytes: Int = 20 * 1024 * 1024
    public var maxPages: Int = 50
    public var maxDecompressedBytes: Int = 100 * 1024 * 1024
    public var maxCompressionRatio: Double = 200
    public var timeBudgetSeconds: Double = 10

    public init() {}
}

/// Reads one or more document formats into a ``ResumeDocument``.
///
/// Readers detect formats by content, not by file extension. Modules with heavier
/// dependencies (PDF, DOCX, HTML) add their readers to a ``DocumentReaders`` list; the
/// indicators never know which reader produced a document.
public protocol DocumentReader: Sendable {
    /// The format of `data` if this reader handles it, or nil.
    func sniff(_ data: Data, filename: String) -> DocumentFormat?
    /// Reads the document. `filename` is used only for messages.
    func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument
}

/// The readers in use, tried in order.
public struct DocumentReaders: Sendable {
    public var readers: [any DocumentReader]
    public var limits: DocumentLimits

    public init(_ readers: [any DocumentReader], limits: DocumentLimits = DocumentLimits()) {
        self.readers = readers
        self.limits = limits
    }

    /// The readers that need no system library: plain text, Markdown and JSON Resume.
    public static let core = DocumentReaders([JSONResumeReader(), PlainTextReader()])

    /// Reads a file from disk.
    public func read(contentsOf url: URL) throws(DocumentError) -> ResumeDocument {
        let name = url.lastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DocumentError(.unreadable, "\(name): file not found")
        }
        guard !isDirectory.boolValue else { throw DocumentError(.unreadable, "\(name): is a folder, not a file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > limits.maxFileBytes {
            throw DocumentError(.tooLarge, "\(name): \(size) bytes is over the \(limits.maxFileBytes)-byte limit")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DocumentError(.unreadable, "\(name): cannot be read (permission or I/O error)")
        }
        return try read(data, filename: name)
    }

    /// Reads bytes, choosing the reader by content.
    public func read(_ data: Data, filename: String) throws(DocumentError) -> ResumeDocument {
        guard !data.isEmpty else { throw DocumentError(.empty, "\(filename): the file is empty") }
        guard data.count <= limits.maxFileBytes else {
            throw DocumentError(.tooLarge, "\(filename): \(data.count) bytes is over the \(limits.maxFileBytes)-byte limit")
        }
        for reader in readers where reader.sniff(data, filename: filename) != nil {
            var document = try reader.read(data, filename: filename, limits: limits)
            document.sha256 = document.sha256 ?? SHA256.hash(data: data).hexString
            return document
        }
        throw DocumentError(.unsupportedFormat, "\(filename): unsupported document format (\(DocumentSniffing.describe(data)))")
    }
}

/// Content sniffing shared by readers.
public enum DocumentSniffing {
    public static func hasPrefix(_ data: Data, _ bytes: [UInt8]) -> Bool {
        data.count >= bytes.count && Array(data.prefix(bytes.count)) == bytes
    }

    /// A short, content-free description of what the bytes look like.
    public static func describe(_ data: Data) -> String {
        if hasPrefix(data, Array("%PDF".utf8)) { return "looks like a PDF; PDF reading is not enabled in this build" }
        if hasPrefix(data, [0x50, 0x4B, 0x03, 0x04]) { return "looks like a ZIP container such as DOCX; not enabled in this build" }
        if hasPrefix(data, [0xD0, 0xCF, 0x11, 0xE0]) { return "looks like a legacy OLE document such as .doc; not enabled in this build" }
        if String(data: data, encoding: .utf8) == nil { return "binary data that is not UTF-8 text" }
        return "text of an unrecognised kind"
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
