import Foundation

/// ISO 8601 parsing shared by the record decoder and the readers.
public enum DateParsing {
    /// Parses `2026-10-01T14:03:00Z`, `2026-10-01T14:03:00.250+02:00` and, when allowed,
    /// a plain date (`2026-10-01`, read as midnight UTC). A date-time without an offset is refused:
    /// the offset is what the time-zone checks need.
    public static func iso8601(_ text: String, dateOnlyAllowed: Bool = false) -> Date? {
        if let date = plainInternetDateTime(text) { return date }
        if let date = formatter("internet", [.withInternetDateTime]).date(from: text) { return date }
        if let date = formatter("fractional", [.withInternetDateTime, .withFractionalSeconds]).date(from: text) { return date }
        if dateOnlyAllowed, text.count == 10 {
            return formatter("day", [.withFullDate]).date(from: text)
        }
        return nil
    }

    /// The common shape `2026-10-01T14:03:00Z` / `2026-10-01T14:03:00+02:00` read without a
    /// formatter (a formatter parse costs tens of microseconds, and every event has a time).
    /// Returns nil for anything else, which then goes to the formatter: fractional seconds,
    /// lower-case separators, out-of-range fields, years before 1600. So it accepts nothing the
    /// formatter refuses and gives the same instant for what it accepts.
    static func plainInternetDateTime(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { b -> Date? in
            guard b.count == 20 || b.count == 25 else { return nil }
            func digits(_ at: Int, _ n: Int) -> Int? {
                var value = 0
                for i in at..<(at + n) {
                    let d = Int(b[i]) - 48
                    guard d >= 0, d <= 9 else { return nil }
                    value = value * 10 + d
                }
                return value
            }
            guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
                  b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
                  let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
                  let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
                  year >= 1600, (1...12).contains(month), hour <= 23, minute <= 59, second <= 59 else { return nil }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard day >= 1, day <= monthDays else { return nil }
            var offset = 0
            if b.count == 20 {
                guard b[19] == UInt8(ascii: "Z") else { return nil }
            } else {
                guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                      let oh = digits(20, 2), let om = digits(23, 2), oh <= 14, om <= 59 else { return nil }
                offset = (oh * 60 + om) * 60 * (b[19] == UInt8(ascii: "-") ? -1 : 1)
            }
            // Days since 1970-01-01 in the proleptic Gregorian calendar.
            let y = month <= 2 ? year - 1 : year
            let era = y / 400
            let yoe = y - era * 400
            let mp = (month + 9) % 12
            let doy = (153 * mp + 2) / 5 + day - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let days = era * 146_097 + doe - 719_468
            let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        } ?? nil
    }

    /// `2026-10-01T14:03:00Z`.
    public static func string(_ date: Date) -> String {
        formatter("internet", [.withInternetDateTime]).string(from: date)
    }

    /// One formatter per thread and kind: making one costs far more than using it, and a
    /// formatter is not documented as safe to share between threads.
    static func formatter(_ kind: String, _ options: ISO8601DateFormatter.Options) -> ISO8601DateFormatter {
        let key = "vetter.iso8601." + kind
        let cache = Thread.current.threadDictionary
        if let formatter = cache[key] as? ISO8601DateFormatter { return formatter }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = options
        cache[key] = formatter
        return formatter
    }

    /// A date-time in a given zone, for evidence (`2026-10-01 03:11 (UTC+08:00)`).
    public static func local(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = UTCOffset.format(minutes: zone.secondsFromGMT(for: date) / 60)
        return String(
            format: "%04d-%02d-%02d %02d:%02d (%@)",
            c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, offset
        )
    }
}

/// Formatting of UTC offsets.
public enum UTCOffset {
    /// `UTC+05:30`, `UTC-05:00`, `UTC+00:00`.
    public static func format(minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let magnitude = abs(minutes)
        return String(format: "UTC%@%02d:%02d", sign, magnitude / 60, magnitude % 60)
    }
}
