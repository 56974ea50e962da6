import Foundation
import VetterCore

/// One event as generated: a local clock time in `clockZone`, the network it came from and
/// what the browser said.
struct EventSpec {
    var type: String
    var day: Int
    var hour: Int
    var minute: Int
    var clockZone: String
    var ip: String?
    var browserZone: String?
    var camera: (on: Bool, displayIsCandidate: Bool, accommodation: Bool)? = nil
    /// The outcome, when the interviewer checked the claimed location.
    var locationCheck: LocationCheck? = nil
}

struct Role {
    var title: String
    var company: String
    var start: (Int, Int)
    var end: (Int, Int)?
}

struct Person {
    var serial: Int
    var label: Truth.Label
    var group: String
    var origin: NameOrigin
    var cluster: String?
    var name: String
    var receivedDay: Int
    var home: Place
    var street: String
    var email: String
    var phone: String
    var claimedZone: String?
    var events: [EventSpec] = []
    var shipping: (street: String, place: Place)? = nil
    var hasOnboarding = false
    var changedAfterOffer = false
    var payment: (method: String, holderIsCandidate: Bool, bankCountry: String, fingerprint: String)? = nil
    var references: [(name: String, email: String, phone: String, company: String)] = []
    var roles: [Role] = []
    var education = ""
    var skills: [String] = []
    var summary = ""
    var format = "txt"
    var docxAuthor: String? = nil
    var docxCreated: String? = nil
    var otherName = ""

    func draft(id: String, state: inout State) -> Draft {
        let nameToken = Draft.placeholder
        func address(_ street: String, _ place: Place) -> [String: Any] {
            ["lines": [street], "city": place.city, "region": place.region ?? "", "postal_code": place.postalCode, "country": place.country]
        }
        var candidate: [String: Any] = ["name": nameToken, "emails": [email], "phones": [phone], "address": address(street, home)]
        if let claimedZone { candidate["claimed_timezone"] = claimedZone }
        var eventList: [[String: Any]] = []
        for e in events.sorted(by: { ($0.day, $0.hour) < ($1.day, $1.hour) }) {
            let date = State.date(day: e.day, hour: e.hour, minute: e.minute, zone: e.clockZone)
            var event: [String: Any] = ["type": e.type, "at": State.iso(date)]
            if let ip = e.ip { event["ip"] = ip }
            if let zone = e.browserZone, let tz = TimeZone(identifier: zone) {
                event["browser_timezone"] = zone
                event["utc_offset_minutes"] = tz.secondsFromGMT(for: date) / 60
            }
            if let camera = e.camera {
                var observations: [String: Any] = ["camera_on": camera.on, "display_name": camera.displayIsCandidate ? nameToken : otherName]
                if camera.accommodation { observations["camera_accommodation"] = true }
                if let check = e.locationCheck { observations["location_check"] = check.rawValue }
                event["observations"] = observations
            }
            eventList.append(event)
        }
        let received = State.date(day: receivedDay, hour: 12, minute: 0, zone: "UTC")
        let resumeFile = "\(id).\(format == "jsonresume" ? "json" : format)"
        var record: [String: Any] = [
            "schema": "vetter.application/v1", "id": id, "received_at": State.iso(received),
            "job": ["id": "req-\(serial % 7 + 1)", "title": "Software Engineer (remote)", "remote": true, "country": "US", "requires_residence": true],
            "candidate": candidate, "resume": ["path": "../resumes/\(resumeFile)"], "events": eventList,
            "references": references.map { ["name": $0.name, "email": $0.email, "phone": $0.phone, "company": $0.company] },
        ]
        if hasOnboarding {
            var onboarding: [String: Any] = ["shipping_address_changed_after_offer": changedAfterOffer]
            let ship = shipping ?? (street, home)
            onboarding["shipping_address"] = address(ship.street, ship.place)
            if let payment {
                onboarding["payment"] = ["method": payment.method, "account_holder": payment.holderIsCandidate ? nameToken : otherName,
                                         "bank_country": payment.bankCountry, "account_fingerprint": payment.fingerprint]
            }
            record["onboarding"] = onboarding
        }
        let json = String(data: try! JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), encoding: .utf8)!
        // Résumé lines (text, Markdown and DOCX share them; JSON Resume is built separately).
        func month(_ ym: (Int, Int)) -> String { "\(PopulationGenerator.months[ym.1 - 1]) \(ym.0)" }
        func span(_ role: Role) -> String { "\(month(role.start)) - \(role.end.map(month) ?? "Present")" }
        var lines: [String] = []
        let contact = "\(home.city), \(home.region ?? home.country) · \(email) · \(phone)"
        switch format {
        case "md":
            lines = ["# \(nameToken)", "", contact, "", "## Summary", "", summary, "", "## Experience", ""]
            for role in roles { lines += ["**\(role.title)**, \(role.company) — \(span(role))", ""] }
            lines += ["## Education", "", education, "", "## Skills", "", skills.joined(separator: ", ")]
        default:
            lines = [nameToken, contact, "", "Summary", summary, "", "Experience"]
            for role in roles { lines.append("\(role.title), \(role.company)   \(span(role))") }
            lines += ["", "Education", education, "", "Skills", skills.joined(separator: ", ")]
        }
        var resumeJSON: String?
        if format == "jsonresume" {
            func ym(_ v: (Int, Int)) -> String { String(format: "%04d-%02d", v.0, v.1) }
            let object: [String: Any] = [
                "basics": ["name": nameToken, "label": roles.first?.title ?? "Engineer", "email": email, "phone": phone, "summary": summary,
                           "location": ["city": home.city, "region": home.region ?? "", "countryCode": home.country]],
                "work": roles.map { role -> [String: Any] in
                    var w: [String: Any] = ["name": role.company, "position": role.title, "startDate": ym(role.start)]
                    if let end = role.end { w["endDate"] = ym(end) }
                    return w
                },
                "education": [["institution": education, "studyType": "BSc", "area": "Computer Science"]],
                "skills": [["name": "Engineering", "keywords": skills]],
            ]
            resumeJSON = String(data: try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), encoding: .utf8)!
        }
        let truth = Truth(id: id, label: label, group: group, nameOrigin: origin, resumeFormat: format, cluster: cluster)
        return Draft(truth: truth, name: name, receivedAt: received, recordTemplate: json, resumeLines: lines, resumeJSON: resumeJSON,
                     docxAuthor: docxAuthor, docxCreated: docxCreated)
    }
}

/// Generator state: the random stream and counters that keep identifiers unique.
struct State {
    var rng: SeededRandom
    var serial = 0
    var phoneCounter = 0
    var ukPhoneCounter = 0
    var household = 0
    var clusterCounter = 0

    static func date(day: Int, hour: Int, minute: Int, zone: String) -> Date {
        let tz = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let naive = PopulationGenerator.epoch.addingTimeInterval(Double(day * 86_400 + hour * 3_600 + minute * 60))
        return naive.addingTimeInterval(-Double(tz.secondsFromGMT(for: naive)))
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// A unique fictional US number (555-0100…0199 in many area codes).
    mutating func usPhone() -> String {
        defer { phoneCounter += 1 }
        let codes = PopulationGenerator.areaCodes
        return "+1 \(codes[(phoneCounter / 100) % codes.count]) 555 \(String(format: "%04d", 100 + phoneCounter % 100))"
    }

    /// A unique UK drama-range mobile (Ofcom 07700 900000–900999).
    mutating func ukPhone() -> String {
        defer { ukPhoneCounter += 1 }
        return "+44 7700 \(900_000 + ukPhoneCounter % 1000)"
    }

    mutating func nextHousehold() -> Int { household += 1; return household }

    static func ascii(_ s: String) -> String {
        (s.applyingTransform(.stripDiacritics, reverse: false) ?? s).lowercased().filter { $0.isLetter && $0.isASCII }
    }

    mutating func name(_ origin: NameOrigin) -> (String, given: String, family: String) {
        let pools = origin.pools
        let given = rng.pick(pools.given), family = rng.pick(pools.family)
        let full = origin.familyFirstSometimes && rng.chance(0.5) ? "\(family) \(given)" : "\(given) \(family)"
        return (full, given, family)
    }

    mutating func newPerson(label: Truth.Label, group: String, origin: NameOrigin? = nil, home: Place? = nil) -> Person {
        serial += 1
        let origin = origin ?? rng.pick(NameOrigin.allCases)
        let (full, given, family) = name(origin)
        let home = home ?? rng.pick(World.usCities)
        let domain = rng.pick(["example.com", "example.org", "example.net"])
        let h = nextHousehold()
        var person = Person(
            serial: serial, label: label, group: group, origin: origin, name: full, receivedDay: rng.int(0...60), home: home,
            street: "\(100 + h) \(rng.pick(["Oak", "Maple", "Cedar", "Elm", "Pine", "Birch"])) \(rng.pick(["St", "Ave", "Rd", "Ln"]))",
            email: "\(State.ascii(given)).\(State.ascii(family))\(serial)@\(domain)", phone: usPhone(), claimedZone: nil)
        person.claimedZone = rng.chance(0.3) ? home.zone : nil
        person.format = rng.weighted([("txt", 35.0), ("md", 20.0), ("jsonresume", 20.0), ("docx", 25.0)])
        person.otherName = self.name(rng.pick(NameOrigin.allCases)).0
        buildCareer(&person, abroad: nil)
        person.references = (0..<rng.int(0...2)).map { _ in
            let ref = self.name(rng.pick(NameOrigin.allCases))
            // "ref" keeps a referee's address apart from the applicant's own, which has the same form: a
            // referee who happened to share the applicant's name got the applicant's email, and a
            // legitimate applicant was flagged for giving their own contact as a reference.
            return (ref.0, "\(State.ascii(ref.given)).\(State.ascii(ref.family)).ref\(serial)@example.org", usPhone(), rng.pick(PopulationGenerator.companies))
        }
        person.hasOnboarding = rng.chance(0.5)
        if person.hasOnboarding {
            person.payment = ("direct-deposit", true, "US", "acct:\(serial)-\(rng.int(1000...9999))")
        }
        return person
    }

    mutating func buildCareer(_ person: inout Person, abroad: Place?) {
        let count = rng.int(2...4)
        var end: (Int, Int)? = nil
        var cursor = (2026, rng.int(1...8))
        var roles: [Role] = []
        for i in 0..<count {
            let years = rng.int(1...4)
            let start = (cursor.0 - years, rng.int(1...12))
            let company = abroad != nil && i > 0 ? rng.pick(PopulationGenerator.abroadCompanies) : rng.pick(PopulationGenerator.companies)
            roles.append(Role(title: rng.pick(PopulationGenerator.titles), company: company, start: start, end: end))
            end = start.1 == 1 ? (start.0 - 1, 12) : (start.0, start.1 - 1)
            cursor = start
        }
        person.roles = roles
        let eduPlace = abroad?.city ?? person.home.city
        person.education = "BSc Computer Science, University of \(eduPlace), \(cursor.0)"
        person.skills = Array(PopulationGenerator.skills.shuffled(using: &rng).prefix(rng.int(3...6)))
        person.summary = "\(roles.first!.title) with experience in \(person.skills.prefix(2).joined(separator: " and "))."
    }

    /// The usual process: application, assessment, replies, an interview, onboarding when hired.
    /// Candidate-initiated events happen at `hours` on `clock`'s local time.
    mutating func standardEvents(_ p: inout Person, clock: String, hours: ClosedRange<Int>, ip: () -> String?, browser: String?) {
        let d = p.receivedDay
        var events: [EventSpec] = []
        for (type, offset) in [("application_submitted", 0), ("assessment_started", 1), ("assessment_completed", 1), ("email_reply", 3), ("email_reply", 6)] {
            events.append(EventSpec(type: type, day: d + offset + (type == "assessment_started" ? 0 : 0), hour: rng.int(hours), minute: rng.int(0...59),
                                    clockZone: clock, ip: ip(), browserZone: browser))
        }
        // Interviews are scheduled in the employer's business hours (US Central, 09–16).
        events.append(EventSpec(type: "interview", day: d + rng.int(7...12), hour: rng.int(9...16), minute: 0, clockZone: "America/Chicago",
                                ip: ip(), browserZone: nil, camera: (true, true, false)))
        if p.hasOnboarding {
            events.append(EventSpec(type: "offer_signed", day: d + 20, hour: rng.int(hours), minute: rng.int(0...59), clockZone: clock, ip: nil, browserZone: nil))
            events.append(EventSpec(type: "onboarding_form", day: d + 22, hour: rng.int(hours), minute: rng.int(0...59), clockZone: clock, ip: ip(), browserZone: browser))
        }
        p.events = events
    }
}
