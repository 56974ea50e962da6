import Foundation
import VetterCore
import ZIPFoundation

/// Checks a ZIP container's directory against the bytes before ZIPFoundation reads it.
///
/// ZIPFoundation's in-memory archive traps when a damaged directory points past the end of the
/// data (found by the DOCX fuzz target), so every offset and size it would follow is checked
/// here first: the end-of-central-directory record, the central directory, and each entry's
/// local header and compressed data. Anything out of bounds is a corrupt file, not a crash.
///
/// `checkStreams` then inflates each deflated entry from its own compressed bytes only.
/// ZIPFoundation (0.9) inflates until the deflate stream says it has ended, reading on past the
/// entry; when a damaged stream never ends, its reads reach the end of the file and come back
/// empty, and it loops for ever (found by the DOCX fuzz target: a 16 KB file that never finished).
/// A stream that does not end within its entry's bytes, or gives more than the entry's declared
/// size, is a corrupt file.
enum ZIPStructure {
    /// Where one entry's compressed bytes are, from the central directory.
    struct Stream {
        var start: Int
        var count: Int
        var declared: Int
        var deflated: Bool
    }

    /// Checks every offset and size; returns each entry's compressed bytes.
    @discardableResult
    static func validate(_ data: Data, filename: String) throws(DocumentError) -> [Stream] {
        let bytes = [UInt8](data)
        let corrupt = DocumentError(.corrupt, "\(filename): the ZIP container is damaged or truncated")
        func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        // The end-of-central-directory record is in the last 22 + 65,535 bytes.
        guard bytes.count >= 22 else { throw corrupt }
        var eocd: Int?
        var position = bytes.count - 22
        let floor = max(0, bytes.count - 22 - 65_535)
        while position >= floor {
            if u32(position) == 0x0605_4B50 { eocd = position; break }
            position -= 1
        }
        guard let eocd, let entryCount = u16(eocd + 10), let directorySize = u32(eocd + 12), let directoryOffset = u32(eocd + 16) else {
            throw corrupt
        }
        if directoryOffset == 0xFFFF_FFFF || directorySize == 0xFFFF_FFFF || entryCount == 0xFFFF {
            throw DocumentError(.unsupportedFormat, "\(filename): ZIP64 containers are not supported for résumés")
        }
        guard directoryOffset + directorySize <= eocd else { throw corrupt }
        var cursor = directoryOffset
        var streams: [Stream] = []
        for _ in 0..<entryCount {
            guard u32(cursor) == 0x0201_4B50,
                  let method = u16(cursor + 10),
                  let compressed = u32(cursor + 20), let uncompressed = u32(cursor + 24),
                  let nameLength = u16(cursor + 28), let extraLength = u16(cursor + 30), let commentLength = u16(cursor + 32),
                  let localOffset = u32(cursor + 42) else { throw corrupt }
            let next = cursor + 46 + nameLength + extraLength + commentLength
            guard next <= directoryOffset + directorySize else { throw corrupt }
            // The local header and the data it announces must lie before the directory.
            guard u32(localOffset) == 0x0403_4B50,
                  let localName = u16(localOffset + 26), let localExtra = u16(localOffset + 28) else { throw corrupt }
            let start = localOffset + 30 + localName + localExtra
            guard start + compressed <= directoryOffset else { throw corrupt }
            streams.append(Stream(start: start, count: compressed, declared: uncompressed, deflated: method == 8))
            cursor = next
        }
        return streams
    }

    /// Inflates each deflated entry from its own compressed bytes and nothing after them: each
    /// stream must end there and give at most its declared size. Call it after the declared sizes
    /// have been checked against the limits, which bound what this inflates.
    static func checkStreams(_ data: Data, _ streams: [Stream], filename: String) throws(DocumentError) {
        struct PastTheEntry: Error {}
        struct LongerThanDeclared: Error {}
        for stream in streams where stream.deflated {
            var produced = 0
            let base = data.startIndex + stream.start, count = stream.count
            do {
                _ = try Data.decompress(size: Int64(count), bufferSize: 16 * 1024, skipCRC32: true, provider: { position, size in
                    guard position < Int64(count) else { throw PastTheEntry() }
                    let from = base + Int(position)
                    return data.subdata(in: from..<(from + min(size, count - Int(position))))
                }, consumer: { chunk in
                    produced += chunk.count
                    if produced > stream.declared { throw LongerThanDeclared() }
                })
            } catch {
                throw DocumentError(.corrupt, "\(filename): the ZIP container is damaged or truncated")
            }
        }
    }
}
