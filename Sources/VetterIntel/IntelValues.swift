import Foundation
import VetterCore
import VetterStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Normalisation shared by feed import and matching, so a feed value and a candidate value
/// meet in the same form.
public enum IntelValues {
    /// Undoes the defanging that reports use: `[.]`, `(.)`, `[dot]`, `[:]`, `[@]`, `[at]`, `hxxp`.
    public static func refang(_ text: String) -> String {
        var s = text
        for (from, to) in [("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("(dot)", "."), ("[:]", ":"), ("[://]", "://"),
                           ("[@]", "@"), ("[at]", "@"), ("(at)", "@")] {
            s = s.replacingOccurrences(of: from, with: to, options: .caseInsensitive)
        }
        for (from, to) in [("hxxps://", "https://"), ("hxxp://", "http://"), ("hXXps://", "https://"), ("hXXp://", "http://"),
                           ("fxp://", "ftp://")] where s.lowercased().hasPrefix(from.lowercased()) {
            s = to + s.dropFirst(from.count)
        }
        return s
    }

    public static func isDefanged(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["[.]", "(.)", "{.}", "[dot]", "[:]", "[@]", "[at]", "hxxp"].contains { lower.contains($0) }
    }

    /// 16 bytes (IPv4 mapped into IPv6), or nil when `text` is not an address.
    public static func addressBytes(_ text: String) -> Data? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if text.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            var bytes = Data(repeating: 0, count: 10) + Data([0xff, 0xff])
            withUnsafeBytes(of: v4) { bytes.append(contentsOf: $0) }
            return bytes
        }
        if text.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 {
            return withUnsafeBytes(of: v6) { Data($0) }
        }
        return nil
    }

    /// A CIDR (`175.45.176.0/22`, `2001:db8::/32`) as its first and last address.
    public static func cidrRange(_ text: String) -> (start: Data, end: Data)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), let base = addressBytes(String(parts[0])) else { return nil }
        let isV4 = parts[0].contains(".") && !parts[0].contains(":")
        let prefix = isV4 ? length + 96 : length
        guard length >= 0, prefix <= 128, (isV4 ? length <= 32 : true) else { return nil }
        var start = [UInt8](base)
        var end = [UInt8](base)
        for bit in prefix..<128 {
            let byte = bit / 8, mask = UInt8(0x80) >> UInt8(bit % 8)
            start[byte] &= ~mask
            end[byte] |= mask
        }
        return (Data(start), Data(end))
    }

    public static func domain(_ text: String) -> String? {
        var d = text.trimmingCharacters(in: .whitespaces).lowercased()
        while d.hasSuffix(".") { d.removeLast() }
        if d.hasPrefix("*.") { d.removeFirst(2) }
        let labels = d.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }),
              d.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }),
              let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else { return nil }
        return d
    }

    /// A URL as compared: lower-case scheme and host, no `www.`, no trailing slash or fragment.
    public static func url(_ text: String) -> String? {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        var h = host
        if h.hasPrefix("www.") { h.removeFirst(4) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        let port = components.port.map { ":\($0)" } ?? ""
        let query = components.percentEncodedQuery.map { "?\($0)" } ?? ""
        return "\(h)\(port)\(path)\(query)"
    }

    /// A profile URL's handle: `github.com/NAME` → (`github`, name), `linkedin.com/in/NAME` →
    /// (`linkedin`, name). Repository and other deeper URLs are not profiles.
    public static func profile(_ text: String) -> (kind: String, handle: String)? {
        guard let normalised = url(text) else { return nil }
        let parts = normalised.split(separator: "?")[0].split(separator: "/").map(String.init)
        guard let host = parts.first else { return nil }
        if host == "github.com", parts.count == 2 { return ("github", parts[1].lowercased()) }
        if host.hasSuffix("linkedin.com"), parts.count == 3, parts[1] == "in" { return ("linkedin", parts[2].lowercased()) }
        return nil
    }

    public static func handle(_ text: String) -> String {
        text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "@/ "))
    }

    public static func hashKind(_ text: String) -> String? {
        guard text.allSatisfy(\.isHexDigit) else { return nil }
        switch text.count {
        case 32: return "md5"
        case 40: return "sha1"
        case 64: return "sha256"
        default: return nil
        }
    }

    /// Phone numbers as the identity store normalises them (E.164 digits, and the national significant number).
    public static func phones(_ text: String) -> [String] { Normalise.phone(text) }

    /// Organisation names as compared: folded, punctuation dropped, legal-form words removed.
    public static func organisationTokens(_ name: String) -> [String] {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        let cleaned = String(folded.map { $0.isLetter || $0.isNumber ? $0 : " " })
        let legal: Set<String> = ["co", "company", "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "gmbh", "plc",
                                  "sa", "ag", "bv", "oy", "pte", "pty", "the", "jsc", "ooo", "of", "and"]
        let abbreviations = ["tech": "technology", "intl": "international", "int'l": "international", "svcs": "services",
                             "mgmt": "management", "trd": "trading", "dev": "development", "grp": "group"]
        return cleaned.split(separator: " ").map(String.init).filter { !legal.contains($0) }.map { abbreviations[$0] ?? $0 }
    }
}

extension FeedEntry {
    /// The entry for one value of a known kind, normalised; nil when the value does not parse
    /// as that kind.
    public static func make(kind: String, value raw: String, objectID: String, confidence: Int? = nil, validUntil: Date? = nil,
                            description: String? = nil) -> [FeedEntry] {
        let value = IntelValues.refang(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        func entry(_ kind: String, _ value: String, _ range: (Data, Data)? = nil) -> FeedEntry {
            FeedEntry(kind: kind, value: value, rangeStart: range?.0, rangeEnd: range?.1, objectID: objectID,
                      confidence: confidence, validUntil: validUntil, description: description)
        }
        switch kind {
        case "email":
            guard EmailAddress.isPlausible(value) else { return [] }
            return [entry("email", EmailAddress.canonical(value))]
        case "domain":
            return IntelValues.domain(value).map { [entry("domain", $0)] } ?? []
        case "ip":
            if value.contains("/") {
                guard let range = IntelValues.cidrRange(value) else { return [] }
                let bits = Int(value.split(separator: "/")[1]) ?? 0
                let full = value.contains(":") ? 128 : 32
                if bits == full, let address = value.split(separator: "/").first { return make(kind: "ip", value: String(address), objectID: objectID, confidence: confidence, validUntil: validUntil, description: description) }
                return [entry("ip-range", value.lowercased(), range)]
            }
            guard let bytes = IntelValues.addressBytes(value) else { return [] }
            return [entry("ip", value.lowercased(), (bytes, bytes))]
        case "url":
            if let (kind, handle) = IntelValues.profile(value) { return [entry(kind, handle)] }
            return IntelValues.url(value).map { [entry("url", $0)] } ?? []
        case "github", "linkedin", "account":
            let handle = IntelValues.handle(value)
            return handle.isEmpty ? [] : [entry(kind, handle)]
        case "phone":
            guard let first = IntelValues.phones(value).first else { return [] }
            return [entry("phone", first)]
        case "organization":
            let tokens = IntelValues.organisationTokens(value)
            return tokens.isEmpty ? [] : [FeedEntry(kind: "organization", value: tokens.joined(separator: " "), objectID: objectID,
                                                    confidence: confidence, validUntil: validUntil,
                                                    description: [value, description].compactMap { $0 }.joined(separator: " · "))]
        case "asn":
            let digits = value.uppercased().hasPrefix("AS") ? String(value.dropFirst(2)) : value
            guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return [] }
            return [entry("asn", digits)]
        case "md5", "sha1", "sha256":
            let hex = value.lowercased()
            return IntelValues.hashKind(hex) == kind ? [entry(kind, hex)] : []
        case "text":
            return value.isEmpty ? [] : [entry("text", value)]
        default:
            return []
        }
    }

    /// Guesses the kind of a bare value from a plain list or a MISP `text` attribute.
    public static func classify(_ raw: String, objectID: String, confidence: Int? = nil, validUntil: Date? = nil,
                                description: String? = nil, allowBareDomain: Bool = true) -> [FeedEntry] {
        let value = IntelValues.refang(raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t,;\"'<>()")))
        guard !value.isEmpty else { return [] }
        let lower = value.lowercased()
        let kind: String?
        if let hash = IntelValues.hashKind(lower) { kind = hash }
        else if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("ftp://") { kind = "url" }
        else if value.contains("@") && EmailAddress.isPlausible(value) { kind = "email" }
        else if IntelValues.addressBytes(value) != nil || IntelValues.cidrRange(value) != nil { kind = "ip" }
        else if value.hasPrefix("AS"), Int(value.dropFirst(2)) != nil { kind = nil }
        else if allowBareDomain, IntelValues.domain(value) != nil { kind = "domain" }
        else { kind = nil }
        guard let kind else { return [] }
        return make(kind: kind, value: value, objectID: objectID, confidence: confidence, validUntil: validUntil, description: description)
    }
}
