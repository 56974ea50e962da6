import Foundation
import VetterCore

/// JSON Lines: one record per non-blank line, each a `vetter.application/v1` record, a
/// Greenhouse webhook body or a Lever opportunity (decided per line). Read in chunks, so a
/// file of any size streams.
public struct JSONLinesSource: BatchSource {
    let reader: LineReader
    let kind: RecordKind
    let base: URL
    var position = 0
    var line = 0
    public let count: Int?

    public init(url: URL, kind: RecordKind = .auto) throws(BatchSetupError) {
        guard let reader = LineReader(url: url) else { throw BatchSetupError(.notFound, "\(url.path): input not readable") }
        self.reader = reader
        self.kind = kind
        self.base = url.deletingLastPathComponent()
        var n = 0
        if let counter = LineReader(url: url) {
            while let l = counter.nextLine() { if !l.allSatisfy(JSONLinesSource.isBlank) { n += 1 } }
        }
        self.count = n
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    public mutating func next() -> BatchItem? {
        while let data = reader.nextLine() {
            line += 1
            if data.allSatisfy(Self.isBlank) { continue }
            defer { position += 1 }
            return BatchItem(position: position, label: "line \(line)", payload: .json(data, kind: kind), baseDirectory: base)
        }
        return nil
    }
}

/// Reads a file line by line (without the newline), in 1 MiB chunks.
final class LineReader {
    let handle: FileHandle
    /// Read but not yet returned: `buffer[start...]` (indices from 0).
    var buffer = Data()
    var start = 0
    var atEnd = false

    init?(url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The index of the next "\n" at or after `from` (memchr: a byte-by-byte walk of `Data`'s
    /// iterator cost more than the JSON decoding of long lines).
    func newline(from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress else { return nil }
            guard let hit = memchr(base + from, 0x0A, raw.count - from) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    func nextLine() -> Data? {
        while true {
            if let index = newline(from: start) {
                // Copy the line only: moving the rest of a 1 MiB buffer down for every line cost
                // more than reading it.
                let line = Data(buffer[start..<index])
                start = index + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                defer { buffer = Data(); start = 0 }
                return Data(buffer[start...])
            }
            let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
            if start > 0 {
                buffer = Data(buffer[start...])
                start = 0
            }
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { atEnd = true }
        }
    }
}

/// A JSON file holding one record or a list of them (`[…]` or Lever's `{"data": […]}`).
public struct ArraySource: BatchSource {
    var items: [BatchItem]
    var index = 0
    public var count: Int? { items.count }

    public mutating func next() -> BatchItem? {
        guard index < items.count else { return nil }
        defer { index += 1 }
        return items[index]
    }

    static func parse(_ url: URL) throws(BatchSetupError) -> JSONValue {
        guard let data = try? Data(contentsOf: url) else { throw BatchSetupError(.notFound, "\(url.path): input not readable") }
        do { return try JSONValue.parse(data) } catch {
            throw BatchSetupError(.invalidInput, "\(url.path): \(error.message)")
        }
    }

    static func elements(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let items): return items
        case .object(let o):
            if case .array(let items)? = o["data"] { return items }
            return [value]
        default: return [value]
        }
    }

    static func json(url: URL, kind: RecordKind, attachments: URL) throws(BatchSetupError) -> ArraySource {
        let base = url.deletingLastPathComponent()
        let items = elements(try parse(url)).enumerated().map { index, value in
            BatchItem(position: index, label: "item \(index + 1)", payload: .value(value, kind: kind), baseDirectory: kind == .application || kind == .auto ? base : attachments)
        }
        return ArraySource(items: items)
    }

    /// A Greenhouse Harvest export: candidates, each with its applications; one item per application.
    static func harvest(url: URL, attachments: URL) throws(BatchSetupError) -> ArraySource {
        var items: [BatchItem] = []
        for (index, candidate) in elements(try parse(url)).enumerated() {
            let mapped = GreenhouseMapper.harvest(candidate: candidate)
            if mapped.isEmpty {
                items.append(BatchItem(position: items.count, label: "candidate \(index + 1)",
                                       payload: .failure("Greenhouse candidate has no applications"), baseDirectory: attachments))
            }
            for record in mapped {
                items.append(BatchItem(position: items.count, label: record.id ?? "candidate \(index + 1)", payload: .mapped(record), baseDirectory: attachments))
            }
        }
        return ArraySource(items: items)
    }
}
