import Foundation

/// ISO 8601 parsing shared by the record decoder and the readers.
public enum DateParsing {
    /// Parses `2026-10-01T14:03:00Z`, `2026-10-01T14:03:00.250+02:00` and, when allowed,
    /// a plain date (`2026-10-01`, read as midnight UTC). A date-time without an offset is refused:
    /// the offset is what the time-zone checks need.
    public static func iso8601(_ text: String, dateOnlyAllowed: Bool = false) -> Date? {
        if let date = formatter("internet", [.withInternetDateTime]).date(from: text) { return date }
        if let date = formatter("fractional", [.withInternetDateTime, .withFractionalSeconds]).date(from: text) { return date }
        if dateOnlyAllowed, text.count == 10 {
            return formatter("day", [.withFullDate]).date(from: text)
        }
        return nil
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
