import Foundation

/// Tells one trip from a persistent mismatch, for the indicators that compare where events came
/// from with the claimed location (browser zone, IP country, IP zone).
///
/// Remote workers travel (catalog §6.5), and the catalog names travel as the false positive of
/// every location check (C2, C7, H8). A trip is bounded: the events that disagree with the
/// claim fall within one period of at most ``maxDays`` days, and some event outside that
/// period agrees with the claim (the person was at home before leaving, or came back). When the
/// caller can also see the device's own zone, the device must agree with the connection during
/// the trip (the laptop's clock moved with its owner; nothing is concealed). A mismatch spread
/// over the whole process, or one with no event from home around it, is persistent.
public enum Travel {
    /// The longest period that still counts as one trip.
    public static let maxDays = 14

    /// One event compared with the claim: when it happened, whether it disagreed, and, when
    /// known, whether the device agreed with the connection at that event (nil: not known).
    public struct Observation: Sendable {
        public var at: Date
        public var mismatched: Bool
        public var deviceAgrees: Bool?

        public init(at: Date, mismatched: Bool, deviceAgrees: Bool? = nil) {
            self.at = at
            self.mismatched = mismatched
            self.deviceAgrees = deviceAgrees
        }
    }

    /// The trip's first and last mismatched event when the mismatches look like one trip; nil
    /// when they are persistent (or there are none).
    public static func trip(_ observations: [Observation]) -> (start: Date, end: Date)? {
        let mismatched = observations.filter(\.mismatched)
        guard let start = mismatched.map(\.at).min(), let end = mismatched.map(\.at).max() else { return nil }
        guard end.timeIntervalSince(start) <= Double(maxDays) * 86_400 else { return nil }
        // Home before leaving or after coming back.
        guard observations.contains(where: { !$0.mismatched && ($0.at < start || $0.at > end) }) else { return nil }
        // During the trip the device said it was where the connection was.
        guard mismatched.allSatisfy({ $0.deviceAgrees != false }) else { return nil }
        return (start, end)
    }

    /// Whether the browser's zone at an event has the offset of the zone the IP database gives
    /// the event's connection; nil when either is unknown.
    public static func browserAgrees(_ o: NetworkEnrichment.Observation) -> Bool? {
        guard let ipZone = o.fact.timeZone.flatMap(TimeZone.init(identifier:)) else { return nil }
        let browser: Int?
        if let zone = o.event.browserTimezone { browser = TimeZone(identifier: zone).map { $0.secondsFromGMT(for: o.event.at) / 60 } }
        else { browser = o.event.utcOffsetMinutes }
        guard let browser else { return nil }
        return browser == ipZone.secondsFromGMT(for: o.event.at) / 60
    }

    /// "one trip of 3 events between 2026-10-04 and 2026-10-08".
    public static func describe(_ trip: (start: Date, end: Date), events: Int) -> String {
        let day: (Date) -> String = { String(DateParsing.string($0).prefix(10)) }
        return "\(events) events within \(day(trip.start))–\(day(trip.end)) with events from the claimed location around them, consistent with one trip"
    }
}
