import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO 3166-1 alpha-2 country codes.
public enum Countries {
    private static let known: Set<String> = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 })
        .union(["XK"])

    public static func isKnown(_ code: String) -> Bool {
        known.contains(code.uppercased())
    }

    /// The English short name, for report sentences ("United States").
    public static func name(_ code: String) -> String {
        Locale(identifier: "en_US").localizedString(forRegionCode: code) ?? code
    }
}

/// Email address helpers.
public enum EmailAddress {
    /// A light syntax check: one `@`, a non-empty local part and a dotted domain.
    public static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !text.contains(where: \.isWhitespace) else { return false }
        return true
    }

    /// The lower-cased domain of an address.
    public static func domain(_ text: String) -> String? {
        guard isPlausible(text), let at = text.lastIndex(of: "@") else { return nil }
        return String(text[text.index(after: at)...]).lowercased()
    }

    /// The address as a mailbox: lower-cased; for providers that ignore them, dots and
    /// `+tags` removed from the local part (gmail.com, googlemail.com).
    public static func canonical(_ text: String) -> String {
        let lower = text.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return lower }
        var local = String(lower[..<at])
        var domain = String(lower[lower.index(after: at)...])
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local = local.replacingOccurrences(of: ".", with: "") }
        return "\(local)@\(domain)"
    }
}

/// IP address syntax.
public enum IPAddress {
    public static func isValid(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return text.withCString { inet_pton(AF_INET, $0, &v4) == 1 || inet_pton(AF_INET6, $0, &v6) == 1 }
    }
}
