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

    /// How many of an international number's leading digits are its calling code. ITU-T E.164
    /// codes form a prefix code: 1 and 7 are one digit, the two-digit codes are the fixed set
    /// below, every other code has three digits (a test checks this against the reference table).
    public static func callingCodeLength(_ digits: some StringProtocol) -> Int {
        guard let first = digits.first else { return 0 }
        if first == "1" || first == "7" { return 1 }
        if let two = Int(digits.prefix(2)), twoDigitCallingCodes.contains(two) { return 2 }
        return 3
    }

    static let twoDigitCallingCodes: Set<Int> = [
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
        60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ]

    /// Digits only, for comparing numbers written differently; drops a leading international prefix.
    public static func comparable(_ raw: String) -> String {
        var digits = raw.filter(\.isNumber).map(String.init).joined()
        if digits.hasPrefix("00") { digits.removeFirst(2) }
        return digits
    }
}
