import Foundation

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable, Equatable {
    /// The `name` parameter of the part's `Content-Disposition: form-data`.
    var name: String
    /// The `filename` parameter, when the part is a file (possibly empty: a browser's "no file chosen").
    var filename: String?
    /// The part's own `Content-Type`, lower-cased without parameters; nil when absent.
    var contentType: String?
    var body: Data
}

/// Why a multipart body was refused. Messages name parts and rules, never content.
struct MultipartError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
    init(_ message: String) { self.message = message }
}

/// A `multipart/form-data` reader (RFC 7578 over the RFC 2046 §5.1 syntax): the boundary comes
/// from the request's Content-Type; the preamble and epilogue are ignored; each part needs a
/// `Content-Disposition: form-data; name="…"` header. The whole body is in memory (the caller
/// has already applied the body-size limit).
enum Multipart {
    static let maxParts = 16
    static let maxHeaderBytes = 8 * 1024

    /// The boundary parameter of a `multipart/form-data` Content-Type, unquoted. Throws when the
    /// type is another one or the boundary is missing or not 1–70 characters.
    static func boundary(contentType: String) throws(MultipartError) -> String {
        let (type, parameters) = parseHeaderValue(contentType)
        guard type == "multipart/form-data" else { throw MultipartError("the content type must be multipart/form-data") }
        guard let boundary = parameters["boundary"], !boundary.isEmpty else {
            throw MultipartError("the multipart/form-data content type has no boundary parameter")
        }
        guard boundary.utf8.count <= 70, !boundary.hasSuffix(" "), boundary.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
            throw MultipartError("the multipart boundary must be 1 to 70 ASCII characters (RFC 2046)")
        }
        return boundary
    }

    /// The parts of `body`, in order.
    static func parse(_ body: Data, boundary: String) throws(MultipartError) -> [MultipartPart] {
        let bytes = [UInt8](body)
        let dash = [UInt8]("--".utf8)
        let delimiter = dash + Array(boundary.utf8)
        let crlf: [UInt8] = [13, 10]
        // A delimiter is a line: CRLF, "--", the boundary, then "--" (the last) or optional
        // padding and CRLF. Text that merely starts like one (`--boundaryX`) is content.
        func endsDelimiter(at offset: Int) -> Bool {
            if starts(bytes, at: offset, with: dash) { return true }
            var i = offset
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            return starts(bytes, at: i, with: crlf)
        }
        func nextDelimiter(from start: Int) -> Int? {
            var from = start
            while let found = find(crlf + delimiter, in: bytes, from: from) {
                if endsDelimiter(at: found + crlf.count + delimiter.count) { return found }
                from = found + 1
            }
            return nil
        }
        // The first delimiter starts the body or follows a line break (the preamble is ignored).
        var position: Int
        if starts(bytes, at: 0, with: delimiter), endsDelimiter(at: delimiter.count) {
            position = delimiter.count
        } else if let found = nextDelimiter(from: 0) {
            position = found + crlf.count + delimiter.count
        } else {
            throw MultipartError("the body does not contain the boundary given in the Content-Type")
        }
        var parts: [MultipartPart] = []
        while true {
            // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF.
            if starts(bytes, at: position, with: dash) {
                guard !parts.isEmpty else { throw MultipartError("the multipart body has no parts") }
                return parts
            }
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
            guard starts(bytes, at: position, with: crlf) else { throw MultipartError("the multipart body ends before its closing boundary") }
            position += crlf.count
            guard parts.count < maxParts else { throw MultipartError("the multipart body has more than \(maxParts) parts") }

            // Headers end at an empty line (immediately, when the part has none).
            let headerEnd: Int
            if starts(bytes, at: position, with: crlf) {
                headerEnd = position
            } else {
                guard let end = find(crlf + crlf, in: bytes, from: position, limit: maxHeaderBytes) else {
                    throw MultipartError("a multipart part's headers are not terminated by an empty line (or are over \(maxHeaderBytes) bytes)")
                }
                headerEnd = end + crlf.count
            }
            let headers = try parseHeaders(bytes[position..<headerEnd])
            let contentStart = headerEnd + crlf.count
            guard let contentEnd = nextDelimiter(from: contentStart - crlf.count) else {
                throw MultipartError("the multipart body ends before its closing boundary")
            }
            let contentRange = contentStart..<max(contentStart, contentEnd)
            guard let disposition = headers["content-disposition"] else {
                throw MultipartError("a multipart part has no Content-Disposition header")
            }
            let (kind, parameters) = parseHeaderValue(disposition)
            guard kind == "form-data", let name = parameters["name"] else {
                throw MultipartError("a multipart part's Content-Disposition is not form-data with a name")
            }
            let contentType = headers["content-type"].map { parseHeaderValue($0).value }
            parts.append(MultipartPart(name: name, filename: parameters["filename"], contentType: contentType,
                                       body: Data(bytes[contentRange])))
            position = contentEnd + crlf.count + delimiter.count
        }
    }

    /// Header lines `Name: value` (names lower-cased). Folded lines are refused (obsolete).
    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(MultipartError) -> [String: String] {
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw MultipartError("a multipart part's headers are not UTF-8") }
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" "), !line.hasPrefix("\t") else {
                throw MultipartError("a multipart part has a malformed header line")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard headers[name] == nil else { throw MultipartError("a multipart part repeats its \(name) header") }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// `type; key=value; key="quoted \" value"` → the lower-cased first item and the parameters
    /// (keys lower-cased; values unquoted, backslash escapes removed).
    static func parseHeaderValue(_ text: String) -> (value: String, parameters: [String: String]) {
        var items: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if quoted && character == "\\" { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted { items.append(current); current = ""; continue }
            current.append(character)
        }
        items.append(current)
        let value = items.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var parameters: [String: String] = [:]
        for item in items.dropFirst() {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast())
                var unescaped = ""
                var pending = false
                for character in raw {
                    if !pending && character == "\\" { pending = true; continue }
                    pending = false
                    unescaped.append(character)
                }
                raw = unescaped
            }
            if parameters[key] == nil { parameters[key] = raw }
        }
        return (value, parameters)
    }

    static func starts(_ bytes: [UInt8], at offset: Int, with prefix: [UInt8]) -> Bool {
        guard offset >= 0, offset + prefix.count <= bytes.count else { return false }
        for i in 0..<prefix.count where bytes[offset + i] != prefix[i] { return false }
        return true
    }

    /// The offset of the first `needle` at or after `from` (starting within `limit` bytes of it).
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, limit: Int = .max) -> Int? {
        guard let first = needle.first, from >= 0 else { return nil }
        let last = min(bytes.count - needle.count, limit == .max ? .max : from + limit)
        guard from <= last else { return nil }
        var i = from
        while i <= last {
            if bytes[i] == first && starts(bytes, at: i, with: needle) { return i }
            i += 1
        }
        return nil
    }
}
