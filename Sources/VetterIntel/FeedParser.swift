import Foundation
import VetterCore
import VetterStore

/// A feed that cannot be imported: the file and the reason (feed values are public
/// indicators, so naming one is allowed; candidate data never reaches this code).
public struct FeedImportError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}

/// What an import did.
public struct FeedImportSummary: Sendable, Equatable {
    public var name: String
    public var format: String
    public var stored: Int
    /// Skipped items by reason (`STIX object type report`, `MISP attribute type sha512`, …).
    public var skipped: [String: Int]
    public var notes: [String]
}

/// Reads STIX 2.1 (and 2.0) bundles, MISP event JSON, plain lists (defanged or not) and the
/// Vetter curated-feed format, and hands every indicator to a sink. Plain lists stream line by
/// line; JSON documents are parsed whole, up to ``maxJSONBytes``.
public struct FeedParser: Sendable {
    /// Skip (and count) STIX indicators whose pattern Vetter cannot match, instead of failing.
    public var skipUnsupported = false
    public var maxJSONBytes = 256 * 1024 * 1024
    /// Lines longer than this in a plain list are refused (a binary or a minified file).
    public var maxLineBytes = 64 * 1024

    public init(skipUnsupported: Bool = false) { self.skipUnsupported = skipUnsupported }

    public struct Result: Sendable, Equatable {
        public var format: String
        public var skipped: [String: Int] = [:]
        public var notes: [String] = []
    }

    /// Parses `url`, calling `emit` once per entry. Throws ``FeedImportError``.
    public func parse(_ url: URL, emit: (FeedEntry) throws -> Void) throws -> Result {
        let file = url.lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FeedImportError(file: file, message: "cannot open the file")
        }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        try? handle.close()
        let firstByte = head.first { ![0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].contains($0) }
        if firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[") {
            return try parseJSON(url, emit: emit)
        }
        return try parseList(url, emit: emit)
    }

    // MARK: - JSON

    func parseJSON(_ url: URL, emit: (FeedEntry) throws -> Void) throws -> Result {
        let file = url.lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        if size > maxJSONBytes {
            throw FeedImportError(file: file, message: "JSON feed of \(size / 1_048_576) MB exceeds the \(maxJSONBytes / 1_048_576) MB limit for JSON feeds; split the bundle or export a plain list")
        }
        let object: Any
        do {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw FeedImportError(file: file, message: "malformed JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "unreadable"))")
        }
        if let dict = object as? [String: Any] {
            if dict["type"] as? String == "bundle" { return try STIXReader(file: file, skipUnsupported: skipUnsupported).read(dict, emit: emit) }
            if dict["Event"] != nil || dict["response"] != nil || (dict["Attribute"] != nil && dict["info"] != nil) {
                return try MISPReader(file: file).read(object, emit: emit)
            }
            if let values = dict["values"] as? [Any], dict["uuid"] != nil, dict["category"] != nil {
                throw FeedImportError(file: file, message: "a MISP galaxy cluster file (\(values.count) clusters, \"\(dict["name"] as? String ?? "?")\"): galaxy clusters describe threat actors and hold no indicators; import a MISP event or a STIX bundle instead")
            }
            if dict["type"] != nil, dict["id"] != nil, dict["objects"] == nil {
                throw FeedImportError(file: file, message: "a single STIX object, not a bundle: wrap it in {\"type\": \"bundle\", \"objects\": [...]}")
            }
        } else if let array = object as? [Any], array.allSatisfy({ ($0 as? [String: Any])?["Event"] != nil }) {
            return try MISPReader(file: file).read(object, emit: emit)
        }
        throw FeedImportError(file: file, message: "JSON that is neither a STIX bundle (\"type\": \"bundle\") nor a MISP event (\"Event\")")
    }

    // MARK: - Plain lists

    /// Plain lists: one or more values a line; `#` starts a comment. Defanged values (`[.]`,
    /// `hxxp`) are refanged. When a file defangs any value, its live (not defanged) URLs,
    /// emails, domains and IPs are taken to be references to reports, not indicators, and are
    /// skipped; hashes are always indicators. Bare domains are taken only when defanged or alone
    /// on their line (so `test.js` beside a hash is not a domain).
    /// A file whose first line is `# vetter-feed v1` is the curated format: tab-separated
    /// `kind value source date valid_until note`.
    func parseList(_ url: URL, emit: (FeedEntry) throws -> Void) throws -> Result {
        let file = url.lastPathComponent
        var isCurated = false
        var anyDefanged = false
        var first = true
        try forEachLine(url) { _, line in
            if first {
                first = false
                if line.trimmingCharacters(in: .whitespaces) == "# vetter-feed v1" { isCurated = true; return false }
            }
            if IntelValues.isDefanged(line) { anyDefanged = true; return false }
            return true
        }
        if isCurated { return try parseCurated(url, emit: emit) }
        var result = Result(format: "list")
        if anyDefanged { result.notes.append("defanged list: live URLs, emails, domains and IPs taken as references and skipped") }
        try forEachLine(url) { number, rawLine in
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if rawLine.trimmingCharacters(in: .whitespaces).hasPrefix("#") { return true }
            let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                .map { $0.hasPrefix("-") && $0.count == 1 ? "" : $0 }.filter { !$0.isEmpty }
            for token in tokens {
                let defanged = IntelValues.isDefanged(token)
                let alone = tokens.count == 1
                let entries = FeedEntry.classify(token, objectID: "\(file):\(number)", description: file,
                                                 allowBareDomain: defanged || alone)
                for entry in entries {
                    let isHash = ["md5", "sha1", "sha256"].contains(entry.kind)
                    if anyDefanged && !defanged && !isHash {
                        result.skipped["live value in a defanged list (reference)", default: 0] += 1
                        continue
                    }
                    try emit(entry)
                }
            }
            return true
        }
        return result
    }

    func parseCurated(_ url: URL, emit: (FeedEntry) throws -> Void) throws -> Result {
        let file = url.lastPathComponent
        let result = Result(format: "vetter-feed")
        try forEachLine(url) { number, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
            let columns = line.components(separatedBy: "\t")
            guard columns.count >= 4 else {
                throw FeedImportError(file: file, message: "line \(number): expected kind, value, source, date (tab-separated)")
            }
            let kind = columns[0].trimmingCharacters(in: .whitespaces)
            let validUntil = columns.count > 4 ? columns[4].trimmingCharacters(in: .whitespaces) : ""
            var until: Date?
            if !validUntil.isEmpty {
                guard let date = FeedDates.parse(validUntil) else { throw FeedImportError(file: file, message: "line \(number): valid_until is not a date") }
                until = date
            }
            let note = columns.count > 5 ? columns[5].trimmingCharacters(in: .whitespaces) : ""
            let description = "\(columns[2].trimmingCharacters(in: .whitespaces)), \(columns[3].trimmingCharacters(in: .whitespaces))" + (note.isEmpty ? "" : " · \(note)")
            let entries = FeedEntry.make(kind: kind, value: columns[1], objectID: "\(file):\(number)", validUntil: until, description: description)
            guard !entries.isEmpty else { throw FeedImportError(file: file, message: "line \(number): not a valid \(kind) value") }
            for entry in entries { try emit(entry) }
            return true
        }
        return result
    }

    /// Streams the lines of a file (1 MiB reads); `body` returns false to stop.
    func forEachLine(_ url: URL, _ body: (Int, String) throws -> Bool) throws {
        let file = url.lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw FeedImportError(file: file, message: "cannot open the file") }
        defer { try? handle.close() }
        var buffer = Data()
        var number = 0
        var done = false
        func flushLine(_ bytes: Data) throws {
            number += 1
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if try !body(number, line) { done = true }
        }
        while !done {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            buffer.append(chunk)
            var start = buffer.startIndex
            while !done, let newline = buffer[start...].firstIndex(of: 0x0a) {
                try flushLine(buffer[start..<newline])
                start = buffer.index(after: newline)
            }
            if done { break }
            buffer.removeSubrange(buffer.startIndex..<start)
            if buffer.count > maxLineBytes { throw FeedImportError(file: file, message: "line \(number + 1) is longer than \(maxLineBytes) bytes: not a plain list") }
            if buffer.contains(0) { throw FeedImportError(file: file, message: "binary content: not a plain list, STIX bundle or MISP event") }
        }
        if !done, !buffer.isEmpty { try flushLine(buffer) }
    }
}

enum FeedDates {
    static func parse(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withFullDate]
        return iso.date(from: text)
    }
}

// MARK: - STIX

struct STIXReader {
    var file: String
    var skipUnsupported: Bool

    static let scoTypes: Set<String> = ["email-addr", "domain-name", "ipv4-addr", "ipv6-addr", "url", "user-account", "file"]

    func read(_ bundle: [String: Any], emit: (FeedEntry) throws -> Void) throws -> FeedParser.Result {
        guard let objects = bundle["objects"] as? [[String: Any]] else {
            throw FeedImportError(file: file, message: "a STIX bundle without an \"objects\" list")
        }
        let bundleVersion = bundle["spec_version"] as? String
        let versions = Set(objects.compactMap { $0["spec_version"] as? String })
        let is20 = bundleVersion == "2.0" || (versions.isEmpty && bundleVersion == nil)
        var result = FeedParser.Result(format: is20 ? "stix-2.0" : "stix-2.1")
        if is20 {
            result.notes.append("STIX 2.0 bundle read as 2.0: the pattern language is the same; 2.0 has no confidence, and inline observed-data objects are read")
        }
        if let other = versions.first(where: { $0 != "2.1" && $0 != "2.0" }) {
            throw FeedImportError(file: file, message: "STIX spec_version \(other) is not supported (2.1 and 2.0 are)")
        }
        for (index, object) in objects.enumerated() {
            guard let type = object["type"] as? String, let id = object["id"] as? String else {
                throw FeedImportError(file: file, message: "objects[\(index)]: a STIX object needs \"type\" and \"id\"")
            }
            if object["revoked"] as? Bool == true { result.skipped["revoked", default: 0] += 1; continue }
            let confidence = object["confidence"] as? Int
            let validUntil = (object["valid_until"] as? String).flatMap(FeedDates.parse)
            let description = [object["name"] as? String, object["description"] as? String].compactMap { $0 }.first
            switch type {
            case "indicator":
                if let patternType = object["pattern_type"] as? String, patternType != "stix" {
                    try unsupported(id, "pattern_type \(patternType)", &result)
                    continue
                }
                guard let pattern = object["pattern"] as? String else {
                    throw FeedImportError(file: file, message: "\(id): an indicator without a pattern")
                }
                let comparisons: [(kind: String, value: String)]
                do {
                    comparisons = try STIXPattern.comparisons(pattern)
                } catch let problem as STIXPattern.Problem {
                    try unsupported(id, problem.message, &result)
                    continue
                }
                var any = false
                for comparison in comparisons {
                    let entries = FeedEntry.make(kind: comparison.kind, value: comparison.value, objectID: id, confidence: confidence,
                                                 validUntil: validUntil, description: description)
                    if entries.isEmpty { throw FeedImportError(file: file, message: "\(id): the value of a \(comparison.kind) comparison does not parse") }
                    for entry in entries { try emit(entry) }
                    any = true
                }
                if !any { try unsupported(id, "no comparison Vetter can match", &result) }
            case "observed-data":
                // 2.0: SCOs inline in "objects"; 2.1: object_refs to SCOs at the bundle's top level, read there.
                let labels = object["labels"] as? [String] ?? []
                if labels.contains(where: { $0.contains("External analysis") }) {
                    result.skipped["observed-data labelled External analysis (a reference)", default: 0] += 1
                    continue
                }
                if let inline = object["objects"] as? [String: Any] {
                    for (_, sco) in inline {
                        guard let sco = sco as? [String: Any] else { continue }
                        let entries = scoEntries(sco, objectID: id, confidence: confidence, description: description)
                        if entries.isEmpty { result.skipped["observed-data object of type \(sco["type"] as? String ?? "?")", default: 0] += 1 }
                        for entry in entries { try emit(entry) }
                    }
                }
            case _ where Self.scoTypes.contains(type):
                let entries = scoEntries(object, objectID: id, confidence: confidence, description: description)
                if entries.isEmpty { result.skipped["STIX \(type) without a usable value", default: 0] += 1 }
                for entry in entries { try emit(entry) }
            default:
                result.skipped["STIX object type \(type)", default: 0] += 1
            }
        }
        return result
    }

    func unsupported(_ id: String, _ message: String, _ result: inout FeedParser.Result) throws {
        if skipUnsupported {
            result.skipped["unsupported indicator (\(message))", default: 0] += 1
        } else {
            throw FeedImportError(file: file, message: "\(id): unsupported pattern: \(message) (use --skip-unsupported to import the rest)")
        }
    }

    func scoEntries(_ sco: [String: Any], objectID: String, confidence: Int?, description: String?) -> [FeedEntry] {
        let type = sco["type"] as? String ?? ""
        func make(_ kind: String, _ value: Any?) -> [FeedEntry] {
            guard let value = value as? String else { return [] }
            return FeedEntry.make(kind: kind, value: value, objectID: objectID, confidence: confidence, description: description)
        }
        switch type {
        case "email-addr": return make("email", sco["value"])
        case "domain-name": return make("domain", sco["value"])
        case "ipv4-addr", "ipv6-addr": return make("ip", sco["value"])
        case "url": return make("url", sco["value"])
        case "user-account":
            let login = (sco["account_login"] ?? sco["user_id"]) as? String
            let accountType = (sco["account_type"] as? String)?.lowercased() ?? ""
            let kind = accountType.contains("github") ? "github" : accountType.contains("linkedin") ? "linkedin" : "account"
            return make(kind, login)
        case "file":
            guard let hashes = sco["hashes"] as? [String: Any] else { return [] }
            return hashes.flatMap { key, value -> [FeedEntry] in
                guard let kind = STIXPattern.hashKind(key) else { return [] }
                return make(kind, value)
            }
        default: return []
        }
    }
}

/// The subset of the STIX patterning language that names single values: comparisons with `=`
/// or `IN`, and `ISSUBSET` for address ranges, joined by `OR`. A `user-account` login `AND`
/// its `account_type` is read as a handle. Anything else (`AND` across values, `!=`, `LIKE`,
/// `MATCHES`, `FOLLOWEDBY`, other object types) is unsupported: it cannot be matched one
/// identifier at a time.
enum STIXPattern {
    struct Problem: Error { var message: String }

    static func hashKind(_ key: String) -> String? {
        switch key.uppercased().replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "-", with: "") {
        case "SHA256": return "sha256"
        case "SHA1": return "sha1"
        case "MD5": return "md5"
        default: return nil
        }
    }

    static func comparisons(_ pattern: String) throws -> [(kind: String, value: String)] {
        // Split into tokens, keeping quoted strings whole.
        var tokens: [String] = []
        var current = ""
        var chars = Array(pattern)[...]
        func flush() { if !current.isEmpty { tokens.append(current); current = "" } }
        while let c = chars.popFirst() {
            if c == "'" && current.hasSuffix(".") {
                // A quoted path step: file:hashes.'SHA-256'
                while let d = chars.popFirst(), d != "'" { current.append(d) }
            } else if c == "'" {
                flush()
                var literal = "'"
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\\", let e = chars.popFirst() { literal.append(e); continue }
                    if d == "'" { closed = true; break }
                    literal.append(d)
                }
                guard closed else { throw Problem(message: "unterminated string in the pattern") }
                tokens.append(literal)
            } else if "[]()=,".contains(c) {
                flush()
                tokens.append(String(c))
            } else if c == "!" || c == "<" || c == ">" {
                throw Problem(message: "comparison operator \(c) cannot be matched against one value")
            } else if c.isWhitespace {
                flush()
            } else {
                current.append(c)
            }
        }
        flush()
        var out: [(String, String)] = []
        var andPair: (login: String?, type: String?) = (nil, nil)
        var sawAnd = false
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            switch token.uppercased() {
            case "[", "]", "(", ")", "OR", ",": i += 1; continue
            case "AND": sawAnd = true; i += 1; continue
            case "NOT", "LIKE", "MATCHES", "FOLLOWEDBY", "ISSUPERSET", "EXISTS":
                throw Problem(message: "\(token.uppercased()) cannot be matched against one value")
            case "WITHIN", "START", "STOP", "REPEATS":
                throw Problem(message: "qualifier \(token.uppercased()) is not supported")
            default: break
            }
            guard token.contains(":"), !token.hasPrefix("'") else { throw Problem(message: "unexpected \(token.prefix(40)) in the pattern") }
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            let objectType = parts[0], path = parts[1]
            guard i + 2 < tokens.count else { throw Problem(message: "a comparison without a value") }
            let op = tokens[i + 1].uppercased()
            var values: [String] = []
            var next = i + 2
            if op == "=" || op == "ISSUBSET" {
                guard tokens[next].hasPrefix("'") else { throw Problem(message: "a non-string value for \(token)") }
                values = [String(tokens[next].dropFirst())]
                next += 1
            } else if op == "IN" {
                guard tokens[next] == "(" else { throw Problem(message: "IN without a list") }
                next += 1
                while next < tokens.count, tokens[next] != ")" {
                    if tokens[next].hasPrefix("'") { values.append(String(tokens[next].dropFirst())) }
                    next += 1
                }
                next += 1
            } else {
                throw Problem(message: "operator \(op) is not supported")
            }
            i = next
            let kind: String
            switch (objectType, path) {
            case ("email-addr", "value"), ("email-message", "from_ref.value"), ("email-message", "sender_ref.value"): kind = "email"
            case ("domain-name", "value"): kind = "domain"
            case ("ipv4-addr", "value"), ("ipv6-addr", "value"): kind = "ip"
            case ("url", "value"): kind = "url"
            case ("user-account", "account_login"), ("user-account", "user_id"):
                if sawAnd || andPair.type != nil { andPair.login = values.first; continue }
                andPair.login = values.first
                kind = "account"
            case ("user-account", "account_type"):
                andPair.type = values.first?.lowercased()
                continue
            case ("file", _) where path.hasPrefix("hashes."):
                guard let hash = hashKind(String(path.dropFirst("hashes.".count))) else { throw Problem(message: "hash \(path) is not supported") }
                kind = hash
            default:
                throw Problem(message: "\(objectType):\(path) is not an identifier Vetter matches")
            }
            for value in values { out.append((kind, value)) }
        }
        if sawAnd {
            // Only `login AND account_type` is understood.
            guard out.allSatisfy({ $0.0 == "account" }), out.count <= 1, let login = andPair.login, let type = andPair.type else {
                throw Problem(message: "AND across values cannot be matched one identifier at a time")
            }
            let kind = type.contains("github") ? "github" : type.contains("linkedin") ? "linkedin" : "account"
            return [(kind, login)]
        }
        if let login = andPair.login, out.isEmpty {
            return [("account", login)]
        }
        return out
    }
}

// MARK: - MISP

struct MISPReader {
    var file: String

    static let kinds: [String: [String]] = [
        "email": ["email"], "email-src": ["email"], "email-dst": ["email"], "email-reply-to": ["email"], "target-email": ["email"],
        "whois-registrant-email": ["email"], "ip-src": ["ip"], "ip-dst": ["ip"], "ip-src|port": ["ip"], "ip-dst|port": ["ip"],
        "domain": ["domain"], "hostname": ["domain"], "domain|ip": ["domain", "ip"], "hostname|port": ["domain"],
        "url": ["url"], "link": ["url"], "uri": ["url"], "phone-number": ["phone"], "whois-registrant-phone": ["phone"],
        "github-username": ["github"], "github-organisation": ["github"], "github-repository": ["url"],
        "md5": ["md5"], "sha1": ["sha1"], "sha256": ["sha256"],
        "filename|md5": ["", "md5"], "filename|sha1": ["", "sha1"], "filename|sha256": ["", "sha256"], "text": ["text"],
    ]

    func read(_ object: Any, emit: (FeedEntry) throws -> Void) throws -> FeedParser.Result {
        var events: [[String: Any]] = []
        if let dict = object as? [String: Any] {
            if let event = dict["Event"] as? [String: Any] { events = [event] }
            else if let response = dict["response"] as? [[String: Any]] { events = response.compactMap { $0["Event"] as? [String: Any] } }
            else { events = [dict] }
        } else if let array = object as? [[String: Any]] {
            events = array.compactMap { $0["Event"] as? [String: Any] }
        }
        guard !events.isEmpty else { throw FeedImportError(file: file, message: "a MISP document without an Event") }
        var result = FeedParser.Result(format: "misp")
        for (eventIndex, event) in events.enumerated() {
            let info = event["info"] as? String
            var attributes = event["Attribute"] as? [[String: Any]] ?? []
            for object in event["Object"] as? [[String: Any]] ?? [] {
                attributes += object["Attribute"] as? [[String: Any]] ?? []
            }
            for (index, attribute) in attributes.enumerated() {
                guard let type = attribute["type"] as? String, let value = attribute["value"] as? String else {
                    throw FeedImportError(file: file, message: "Event[\(eventIndex)].Attribute[\(index)]: an attribute needs \"type\" and \"value\"")
                }
                if attribute["deleted"] as? Bool == true || (attribute["deleted"] as? String) == "1" {
                    result.skipped["deleted attribute", default: 0] += 1
                    continue
                }
                let id = (attribute["uuid"] as? String) ?? "\(event["uuid"] as? String ?? "event\(eventIndex)"):\(index)"
                let description = [attribute["comment"] as? String, info].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
                guard let kinds = Self.kinds[type] else {
                    result.skipped["MISP attribute type \(type)", default: 0] += 1
                    continue
                }
                let parts = kinds.count > 1 ? value.components(separatedBy: "|") : [type.contains("|port") ? value.components(separatedBy: "|")[0] : value]
                var stored = 0
                for (kind, part) in zip(kinds, parts) where !kind.isEmpty {
                    var entries: [FeedEntry]
                    if kind == "text" {
                        entries = FeedEntry.classify(part, objectID: id, description: description, allowBareDomain: false)
                        if entries.isEmpty { entries = FeedEntry.make(kind: "text", value: part, objectID: id, description: description) }
                    } else if kind == "url", type == "github-repository", !part.contains("://") {
                        entries = FeedEntry.make(kind: "url", value: "https://github.com/" + part, objectID: id, description: description)
                    } else {
                        entries = FeedEntry.make(kind: kind, value: part, objectID: id, description: description)
                    }
                    for entry in entries { try emit(entry); stored += 1 }
                }
                if stored == 0 { throw FeedImportError(file: file, message: "\(id): the \(type) value does not parse") }
            }
        }
        return result
    }
}
