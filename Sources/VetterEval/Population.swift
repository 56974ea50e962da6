import Foundation

/// Ground truth for one generated applicant. Written to `truth.json`, read only by the audit;
/// the screener sees `applications/*.json` and the résumé files, never this.
public struct Truth: Codable, Sendable, Equatable {
    public enum Label: String, Codable, Sendable { case legitimate, fake }
    public var id: String
    public var label: Label
    /// Situation group for a legitimate applicant, archetype for a fake.
    public var group: String
    public var nameOrigin: NameOrigin
    public var resumeFormat: String
    /// The operator, farm, household, bootcamp or agency this applicant belongs to, if any.
    public var cluster: String?
}

/// Legitimate situations (hard negatives from indicators.md §6.5) and their shares.
public enum Situation: String, CaseIterable, Sendable {
    case local, recentImmigrant = "recent-immigrant", traveller, googleVoice = "google-voice",
         corporateVPN = "corporate-vpn", careerChanger = "career-changer", resumeService = "resume-service",
         nightShift = "night-shift", cameraAccommodation = "camera-accommodation",
         sharedHousehold = "shared-household", bootcamp = "bootcamp-graduate", agency = "agency-submitted"

    public var weight: Double {
        switch self {
        case .local: 30
        case .recentImmigrant: 10
        case .traveller, .careerChanger, .googleVoice: 8
        case .corporateVPN, .resumeService, .nightShift: 7
        case .cameraAccommodation, .sharedHousehold, .bootcamp, .agency: 5
        }
    }

    var meanGroupSize: Double {
        switch self {
        case .sharedHousehold: 2
        case .bootcamp, .agency: 4.5
        default: 1
        }
    }
}

/// Fake-persona archetypes modelled on indicators.md §5, and their shares among fakes.
public enum Archetype: String, CaseIterable, Sendable {
    case laptopFarm = "laptop-farm", personaOperator = "persona-operator", rentedIdentity = "rented-identity",
         vpnEgress = "vpn-egress", offHours = "off-hours"

    public var weight: Double {
        switch self {
        case .laptopFarm: 25
        case .personaOperator: 30
        case .rentedIdentity: 20
        case .vpnEgress: 15
        case .offHours: 10
        }
    }

    var meanGroupSize: Double {
        switch self {
        case .personaOperator: 8.5
        case .laptopFarm: 5.5
        default: 1
        }
    }
}

/// One generated applicant, with `{{NAME}}` wherever the candidate's own name stands, so that
/// it can be rendered under any name (the name-swap audit) with everything else unchanged.
public struct Draft: Sendable {
    public var truth: Truth
    public var name: String
    public var receivedAt: Date
    /// The record as JSON text with `{{NAME}}` placeholders.
    var recordTemplate: String
    /// Résumé lines with `{{NAME}}` placeholders.
    var resumeLines: [String]
    var resumeJSON: String?
    var docxAuthor: String?
    var docxCreated: String?

    public static let placeholder = "{{NAME}}"

    /// The record and résumé files under `name` (the applicant's own by default).
    public func render(name: String? = nil) -> (record: Data, resumeFile: String, resume: Data) {
        let name = name ?? self.name
        let escaped = String(data: try! JSONSerialization.data(withJSONObject: [name]), encoding: .utf8)!.dropFirst(2).dropLast(2)
        let record = recordTemplate.replacingOccurrences(of: Self.placeholder, with: String(escaped))
        let lines = resumeLines.map { $0.replacingOccurrences(of: Self.placeholder, with: name) }
        let file = "\(truth.id).\(truth.resumeFormat == "jsonresume" ? "json" : truth.resumeFormat)"
        let resume: Data
        switch truth.resumeFormat {
        case "jsonresume": resume = Data(resumeJSON!.replacingOccurrences(of: Self.placeholder, with: String(escaped)).utf8)
        case "docx": resume = DOCXWriter.document(paragraphs: lines, author: docxAuthor?.replacingOccurrences(of: Self.placeholder, with: name), created: docxCreated)
        case "pdf":
            // Made the day before the application, in UTC: a time that says nothing about where (as
            // many PDF producers write it), so the PDF carries no signal the plain text lacked.
            resume = PDFWriter.document(lines: lines, created: State.iso(receivedAt.addingTimeInterval(-86_400)))
        default: resume = Data(lines.joined(separator: "\n").utf8)
        }
        return (Data(record.utf8), file, resume)
    }
}

/// The seeded population generator. See Docs/evaluation.md for every distribution and its source.
public struct PopulationGenerator: Sendable {
    public var seed: UInt64
    public var size: Int
    /// Share of fakes. Real pools are ~1–5% (indicators.md §5); the default oversamples fakes so
    /// that recall is measured on enough of them, and precision is also reported re-weighted.
    public var fakeShare: Double
    /// Share of interviews in which the interviewer asked about the claimed location and recorded
    /// the outcome (`observations.location_check`, catalog A6). Drawn from a random stream of its
    /// own, so that every other part of the population is the same at any rate (0 gives the
    /// population of earlier versions, byte for byte).
    public var locationCheckRate: Double

    /// The default share of interviews with a location check: half. The FBI recommends the check
    /// (S6); no source says how many interviewers do it, so half is a judgement, and
    /// `Docs/evaluation.md` reports the results at 0, 0.25, 0.5 and 1 too.
    public static let defaultLocationCheckRate = 0.5

    /// Share of the plain-text résumés written as PDF instead (the same lines, set by cairo), from
    /// a random stream of its own like the location checks: the PDF reader gets the same text to
    /// read, and 0 gives the résumés of earlier versions.
    public var pdfShare: Double

    /// The default share of plain-text résumés written as PDF: half (PDF is the commonest format
    /// of a real résumé; half keeps plain text in the population too).
    public static let defaultPDFShare = 0.5

    public init(seed: UInt64 = 8, size: Int = 2000, fakeShare: Double = 0.2, locationCheckRate: Double = PopulationGenerator.defaultLocationCheckRate,
                pdfShare: Double = PopulationGenerator.defaultPDFShare) {
        self.seed = seed
        self.size = size
        self.fakeShare = fakeShare
        self.locationCheckRate = locationCheckRate
        self.pdfShare = pdfShare
    }

    /// A random stream for one applicant, apart from the main one, for the parts that must not
    /// move anything else (`locationCheckRate`, `pdfShare`).
    func stream(_ purpose: UInt64, serial: Int) -> SeededRandom {
        var seeder = SeededRandom(seed: (seed ^ purpose) &+ UInt64(serial) &* 0xD1B5_4A32_D192_ED03)
        return SeededRandom(seed: seeder.next())
    }

    /// How often an applicant's answers about their claimed location fail the check, when asked.
    /// Fakes: half. They sit abroad (§4.7); the published cases report failed answers (S30, S39,
    /// S40), and some personas are well prepared (S36), so not all. Legitimate: 2% (nerves, a
    /// question about a part of town they do not know); recent immigrants 5%: someone new to a
    /// place knows it less well (the catalog names recent movers as a false-positive population, A5).
    static func locationCheckFailure(label: Truth.Label, group: String) -> Double {
        switch label {
        case .fake: 0.5
        case .legitimate: group == Situation.recentImmigrant.rawValue ? 0.05 : 0.02
        }
    }

    static let epoch = Date(timeIntervalSince1970: 1_788_220_800)  // 2026-09-01T00:00:00Z
    /// NANP area codes (N, 0–8, 0–9, no N11): 712 codes × the 100 fictional lines 555-0100…0199.
    static let areaCodes: [String] = (2...9).flatMap { a in (0...8).flatMap { b in (0...9).compactMap { c in b == 1 && c == 1 ? nil : "\(a)\(b)\(c)" } } }
    static let companies = ["Acme Analytics", "Blue Heron Software", "Cedar Labs", "Delta Freight Systems", "Evergreen Health IT",
                            "Fjord Data", "Granite Payments", "Harbor Logistics", "Ironwood Games", "Juniper Retail Tech",
                            "Keystone Insurance", "Lumen Media", "Maple Robotics", "Northwind Traders", "Orchid Biotech"]
    static let abroadCompanies = ["Thames Data Ltd", "Spree Cloud GmbH", "Koramangala Infotech", "Lekki Fintech", "Paulista Sistemas", "Makati BPO Solutions"]
    static let titles = ["Software Engineer", "Backend Developer", "Frontend Developer", "Data Engineer", "DevOps Engineer",
                         "QA Engineer", "Full Stack Developer", "Mobile Developer", "Site Reliability Engineer"]
    static let skills = ["Swift", "Go", "Python", "TypeScript", "React", "Kubernetes", "AWS", "PostgreSQL", "Terraform", "Java", "Rust", "Kafka"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Every applicant, in the order they applied (the order `vetter eval` screens them in).
    public func generate() -> [Draft] {
        var state = State(rng: SeededRandom(seed: seed))
        let fakes = Int((Double(size) * fakeShare).rounded())
        var people: [Person] = []
        var drawn = 0
        // Legitimate applicants: some situations come in groups (households of 2, bootcamps and agencies of 3–6).
        while people.count < size - fakes {
            // Weights are shares of people: a group draw is weighted by share / mean group size.
            // Every situation appears at least once, then draws by weight.
            let first = Situation.allCases.count > drawn ? Situation.allCases[drawn] : nil
            drawn += 1
            let situation = first ?? state.rng.weighted(Situation.allCases.map { ($0, $0.weight / $0.meanGroupSize) })
            let groupSize: Int
            switch situation {
            case .sharedHousehold: groupSize = 2
            case .bootcamp, .agency: groupSize = state.rng.int(3...6)
            default: groupSize = 1
            }
            people += state.legitimateGroup(situation, count: min(groupSize, size - fakes - people.count))
        }
        // Fakes: operators run 5–12 personas (S23, S49), farms host 3–8 of the sampled personas (S9, S13).
        var fakePeople: [Person] = []
        var drawnFakes = 0
        while fakePeople.count < fakes {
            let firstArchetype = Archetype.allCases.count > drawnFakes ? Archetype.allCases[drawnFakes] : nil
            drawnFakes += 1
            let archetype = firstArchetype ?? state.rng.weighted(Archetype.allCases.map { ($0, $0.weight / $0.meanGroupSize) })
            let groupSize: Int
            switch archetype {
            case .personaOperator: groupSize = state.rng.int(5...12)
            case .laptopFarm: groupSize = state.rng.int(3...8)
            default: groupSize = 1
            }
            fakePeople += state.fakeGroup(archetype, count: min(groupSize, fakes - fakePeople.count))
        }
        people += fakePeople
        people.sort { ($0.receivedDay, $0.serial) < ($1.receivedDay, $1.serial) }
        if locationCheckRate > 0 {
            for i in people.indices {
                // A stream per applicant, apart from the main one (see `locationCheckRate`).
                var rng = stream(0x4C4F_4341_5449_4F4E, serial: people[i].serial)
                let failure = Self.locationCheckFailure(label: people[i].label, group: people[i].group)
                for e in people[i].events.indices where people[i].events[e].type == "interview" {
                    let asked = rng.chance(locationCheckRate), failed = rng.chance(failure)
                    if asked { people[i].events[e].locationCheck = failed ? .failed : .passed }
                }
            }
        }
        if pdfShare > 0 {
            for i in people.indices where people[i].format == "txt" {
                var rng = stream(0x5044_465F_5245_5355, serial: people[i].serial)
                if rng.chance(pdfShare) { people[i].format = "pdf" }
            }
        }
        return people.enumerated().map { index, person in person.draft(id: String(format: "eval-%05d", index + 1), state: &state) }
    }

    /// Writes the population: `applications/`, `resumes/`, `geoip/`, `truth.json`, `population.json`.
    public func write(to directory: URL) throws -> [Draft] {
        let fm = FileManager.default
        for sub in ["applications", "resumes"] {
            try? fm.removeItem(at: directory.appendingPathComponent(sub))
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let drafts = generate()
        for draft in drafts { try Self.write(draft, name: nil, to: directory) }
        try World.writeDatabases(to: directory.appendingPathComponent("geoip"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(drafts.map(\.truth)).write(to: directory.appendingPathComponent("truth.json"))
        try encoder.encode(Manifest(seed: seed, size: size, fakeShare: fakeShare, locationCheckRate: locationCheckRate, pdfShare: pdfShare)).write(to: directory.appendingPathComponent("population.json"))
        return drafts
    }

    /// Writes one applicant's record and résumé; returns the record's URL.
    @discardableResult
    public static func write(_ draft: Draft, name: String?, to directory: URL) throws -> URL {
        let rendered = draft.render(name: name)
        let recordURL = directory.appendingPathComponent("applications/\(draft.truth.id).json")
        try FileManager.default.createDirectory(at: recordURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("resumes"), withIntermediateDirectories: true)
        try rendered.record.write(to: recordURL)
        try rendered.resume.write(to: directory.appendingPathComponent("resumes/\(rendered.resumeFile)"))
        return recordURL
    }

    public struct Manifest: Codable, Sendable {
        public var schema = "vetter.eval-population/v1"
        public var seed: UInt64
        public var size: Int
        public var fakeShare: Double
        /// Absent in populations written before location checks were generated: 0.
        public var locationCheckRate: Double?
        /// Absent in populations written before PDF résumés were generated: 0.
        public var pdfShare: Double?

        public var generator: PopulationGenerator {
            PopulationGenerator(seed: seed, size: size, fakeShare: fakeShare, locationCheckRate: locationCheckRate ?? 0, pdfShare: pdfShare ?? 0)
        }
    }

    /// Names of an origin group, for the name-swap audit (deterministic per index).
    public static func name(of origin: NameOrigin, index: Int) -> String {
        let pools = origin.pools
        let given = pools.given[index % pools.given.count]
        let family = pools.family[(index / pools.given.count + index) % pools.family.count]
        return origin.familyFirstSometimes && index % 2 == 1 ? "\(family) \(given)" : "\(given) \(family)"
    }
}
