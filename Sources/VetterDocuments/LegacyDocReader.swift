import Foundation
import VetterCore

/// Reads legacy binary Word `.doc` (OLE compound file) with Debian's `antiword` (package `antiword`),
/// run as a separate process with the time budget, on a private temporary copy. An OLE file holding
/// an `EncryptedPackage` stream (a password-protected DOCX) is reported as encrypted.
public struct LegacyDocReader: DocumentReader {
    /// Where to find antiword; the PATH is searched when nil.
    public var antiwordPath: String?

    public init(antiwordPath: String? = nil) {
        self.antiwordPath = antiwordPath
    }

    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    public func sniff(_ data: Data, filename: String) -> DocumentFormat? {
        DocumentSniffing.hasPrefix(data, Self.oleMagic) ? .legacyDoc : nil
    }

    static func locateAntiword() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(dir)/antiword"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func read(_ data: Data, filename: String, limits: DocumentLimits) throws(DocumentError) -> ResumeDocument {
        let utf16 = Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        if data.range(of: utf16) != nil {
            throw DocumentError(.encrypted, "\(filename): the Office document is password-protected")
        }
        guard let tool = antiwordPath ?? Self.locateAntiword() else {
            throw DocumentError(.unsupportedFormat, "\(filename): legacy .doc needs the antiword tool (Debian package antiword), which is not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-doc-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw DocumentError(.unreadable, "\(filename): cannot create a temporary folder") }
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("input.doc")
        do { try data.write(to: input) } catch { throw DocumentError(.unreadable, "\(filename): cannot write a temporary copy") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-m", "UTF-8.txt", "-w", "0", input.path]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw DocumentError(.unreadable, "\(filename): antiword could not be started") }
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.set(out.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        _ = err.fileHandleForReading.readDataToEndOfFile()
        if group.wait(timeout: .now() + limits.timeBudgetSeconds) == .timedOut {
            process.terminate()
            throw DocumentError(.timedOut, "\(filename): antiword took longer than the \(Int(limits.timeBudgetSeconds))-second budget")
        }
        process.waitUntilExit()
        let text = String(decoding: collected.get(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw DocumentError(.corrupt, "\(filename): the .doc file is damaged or not a Word document (antiword exit \(process.terminationStatus))")
        }
        var metadata = DocumentMetadata()
        metadata.application = "Microsoft Word (binary .doc)"
        return try TextNormalizer.document(format: .legacyDoc, filename: filename, text: text, metadata: metadata,
                                           warnings: ["text read with antiword; document properties of binary .doc are not read"])
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
