import Foundation

/// What a phone number's digits say.
public struct PhoneFact: Sendable, Equatable {
    /// The number as given.
    public var raw: String
    /// E.164 (`+15125550100`), when the number has a country code.
    public var e164: String?
    public var callingCode: Int?
    /// The ISO regions that share the calling code (+1 covers the US, Canada and others).
    public var regions: [String]
}

/// Reads country calling codes from phone numbers.
public struct PhoneNumbers: Sendable {
    public var regionsByCallingCode: [Int: [String]]

    public init(regionsByCallingCode: [Int: [String]]) {
        self.regionsByCallingCode = regionsByCallingCode
    }

    /// Parses `+1 512 555 0100`, `00 44 20 7946 0958`, `(+49) 30 901820`. A number without an
    /// international prefix has no calling code.
    public func parse(_ raw: String) -> PhoneFact {
        let trimmed = raw.trimmingWhitespace()
        var digits = trimmed.filter(\.isNumber).map(String.init).joined()
        let international = trimmed.hasPrefix("+") || trimmed.hasPrefix("(+") || digits.hasPrefix("00")
        if trimmed.hasPrefix("00") || (!trimmed.hasPrefix("+") && !trimmed.hasPrefix("(+") && digits.hasPrefix("00")) {
            digits = String(digits.dropFirst(2))
        }
        guard international, (8...15).contains(digits.count) else {
            return PhoneFact(raw: raw, e164: nil, callingCode: nil, regions: [])
        }
        for length in 1...3 {
            if let code = Int(digits.prefix(length)), let regions = regionsByCallingCode[code] {
                return PhoneFact(raw: raw, e164: "+" + digits, callingCode: code, regions: regions)
            }
        }
        return PhoneFact(raw: raw, e164: "+" + digits, callingCode: nil, regions: [])
    }

    /// Digits only, for comparing numbers written differently; drops a leading international prefix.
    public static func comparable(_ raw: String) -> String {
        var digits = raw.filter(\.isNumber).map(String.init).joined()
        if digits.hasPrefix("00") { digits.removeFirst(2) }
        return digits
    }
}
