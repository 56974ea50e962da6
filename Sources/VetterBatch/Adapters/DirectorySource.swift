import Foundation
import VetterCore

/// A folder of application records (`.json`) and résumés. Every record is one item; a résumé
/// that no record names (`resume.path`) is an item of its own, screened as `vetter screen` does.
/// Files are taken in path order, so positions are stable across runs.
public struct DirectorySource: BatchSource {
    var files: [URL]
    var index = 0
    public var count: Int? { files.count }

    public init(directory: URL) throws(BatchSetupError) {
        let root = directory.standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw BatchSetupError(.notFound, "\(directory.path): folder not readable")
        }
        var all: [URL] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            all.append(url.standardizedFileURL)
        }
        all.sort { $0.path < $1.path }
        var referenced: Set<String> = []
        for url in all where url.pathExtension.lowercased() == "json" {
            guard let data = try? Data(contentsOf: url), let value = try? JSONValue.parse(data), Self.isRecord(value),
                  let path = value["resume"]?["path"]?.stringValue else { continue }
            let target = path.hasPrefix("/") ? URL(fileURLWithPath: path) : url.deletingLastPathComponent().appendingPathComponent(path)
            referenced.insert(target.standardizedFileURL.path)
        }
        files = all.filter { !referenced.contains($0.path) }
    }

    static func isRecord(_ value: JSONValue) -> Bool {
        guard case .object(let o) = value else { return false }
        return o["schema"] != nil || o["candidate"] != nil || o["events"] != nil
    }

    public mutating func next() -> BatchItem? {
        guard index < files.count else { return nil }
        defer { index += 1 }
        let url = files[index]
        return BatchItem(position: index, label: url.lastPathComponent, payload: .file(url), baseDirectory: url.deletingLastPathComponent())
    }
}
