import Foundation

/// Postal-address comparison after normalisation (case, punctuation, common abbreviations).
public enum AddressComparison {
    static let abbreviations: [String: String] = [
        "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
        "court": "ct", "place": "pl", "suite": "ste", "apartment": "apt", "unit": "apt", "#": "apt",
        "north": "n", "south": "s", "east": "e", "west": "w", "highway": "hwy", "parkway": "pkwy", "square": "sq",
    ]

    /// Normalised tokens of a line or name.
    public static func normalise(_ text: String) -> String {
        let folded = ReferenceData.fold(text).replacingOccurrences(of: "#", with: " # ")
        return folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "#" })
            .map { abbreviations[String($0)] ?? String($0) }
            .joined(separator: " ")
    }

    /// Whether two addresses name the same place. Fields missing on either side are not compared.
    public static func isSamePlace(_ a: PostalAddress, _ b: PostalAddress) -> Bool {
        func same(_ x: String?, _ y: String?, _ transform: (String) -> String) -> Bool {
            guard let x, let y else { return true }
            return transform(x) == transform(y)
        }
        let postal: (String) -> String = { $0.uppercased().filter { $0.isLetter || $0.isNumber } }
        return same(a.country, b.country, { $0.uppercased() })
            && same(a.postalCode, b.postalCode, postal)
            && same(a.city, b.city, normalise)
            && same(a.lines.first, b.lines.first, normalise)
    }
}
