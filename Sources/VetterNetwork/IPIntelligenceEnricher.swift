import Foundation
import VetterCore

/// Fills ``Facts/network`` for every event IP from MaxMind-format databases and the network
/// classification data, and says in ``Facts/notes`` which databases answered and what is missing.
///
/// Databases are consulted in the order given: the first that has a field wins (put a City
/// database before a Country one). ASN comes from an ASN or Country+ASN database.
public struct IPIntelligenceEnricher: Enricher {
    public let name = NetworkEnrichment.enricherName
    /// Databases older than this get a coverage note (MaxMind and DB-IP publish monthly or more often).
    public static let staleAfterDays = 180.0
    public let databases: [MaxMindDatabase]
    public let classifier: NetworkClassifier
    /// Notes about the configuration, added to every application's coverage.
    public let setupNotes: [String]

    public init(databases: [MaxMindDatabase], classifier: NetworkClassifier = NetworkClassifier()) {
        self.databases = databases
        self.classifier = classifier
        self.setupNotes = Self.describe(databases) + classifier.summary
    }

    /// For `--geoip PATH` (repeatable): opens each file. A missing, corrupt or unreadable file is
    /// an error (the user asked for it); a database of a type Vetter cannot use becomes a note.
    public init(paths: [String], classifier: NetworkClassifier = NetworkClassifier()) throws(IPDatabaseError) {
        var opened: [MaxMindDatabase] = []
        for path in paths { opened.append(try MaxMindDatabase(path: path)) }
        self.init(databases: opened, classifier: classifier)
    }

    /// The folder the README set-up fetches the default database into: `$VETTER_GEOIP_DIR`, or
    /// `Data/geoip` next to the `Config` folder.
    public static func defaultDataDirectory(configDirectory: URL) -> URL {
        if let dir = ProcessInfo.processInfo.environment["VETTER_GEOIP_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return configDirectory.deletingLastPathComponent().appendingPathComponent("Data/geoip", isDirectory: true)
    }

    /// The `.mmdb` files in `directory`, City databases first, then Country, then the rest (sorted by name).
    public static func defaultDatabasePaths(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        func rank(_ name: String) -> Int {
            let n = name.lowercased()
            return n.contains("city") ? 0 : n.contains("country") ? 1 : 2
        }
        return names.filter { $0.lowercased().hasSuffix(".mmdb") }
            .sorted { (rank($0), $0) < (rank($1), $1) }
            .map { directory.appendingPathComponent($0).path }
    }

    /// What the CLI calls: explicit `--geoip` paths, or else the `.mmdb` files of the default folder
    /// (``defaultDataDirectory(configDirectory:)``); the
    /// classification from `Config/network`, plus optional Tor exit and corporate egress lists.
    /// Errors name the file and the problem.
    public static func configured(
        geoip explicitPaths: [String],
        configDirectory: URL,
        dataDirectory: URL? = nil,
        torExits: URL? = nil,
        corporateEgress: URL? = nil
    ) throws -> IPIntelligenceEnricher {
        var classifier = NetworkClassifier()
        let networkConfig = configDirectory.appendingPathComponent("network")
        if FileManager.default.fileExists(atPath: networkConfig.appendingPathComponent("networks.tsv").path) {
            classifier = try NetworkClassifier.load(configDirectory: networkConfig)
        }
        if let torExits { try classifier.addTorExitList(contentsOf: torExits) }
        if let corporateEgress { try classifier.addCorporateEgress(contentsOf: corporateEgress) }
        let paths = explicitPaths.isEmpty
            ? defaultDatabasePaths(in: dataDirectory ?? defaultDataDirectory(configDirectory: configDirectory))
            : explicitPaths
        return try IPIntelligenceEnricher(paths: paths, classifier: classifier)
    }

    static func describe(_ databases: [MaxMindDatabase]) -> [String] {
        guard !databases.isEmpty else {
            return ["no IP database configured: IP country, time-zone, several-countries and travel checks skipped (use --geoip PATH)"]
        }
        var notes: [String] = []
        let hasLocation = databases.contains { $0.kind.hasLocation }
        for db in databases {
            let file = (db.path as NSString).lastPathComponent
            switch db.kind {
            case .city, .country, .countryASN:
                notes.append("IP database \(file): \(db.label), \(db.kind.rawValue) (\(db.layout.rawValue) layout)")
            case .asn:
                notes.append("IP database \(file): \(db.label) is an ASN database, used for ASN only"
                    + (hasLocation ? "" : "; no geolocation database configured"))
            case .anonymousIP:
                notes.append("IP database \(file): \(db.label) is an anonymous-IP database, used for VPN/hosting/Tor flags only")
            case .unsupported:
                notes.append("IP database \(file) (type \"\(db.metadata.databaseType)\") carries no country, ASN or anonymizer field Vetter reads; not used")
            }
        }
        return notes
    }

    public func enrich(_ context: inout ScreeningContext) async {
        enrichSync(&context)
    }

    /// The same work without `async`.
    public func enrichSync(_ context: inout ScreeningContext) {
        context.facts.notes.append(contentsOf: setupNotes)
        let usable = databases.filter { $0.kind != .unsupported }
        for db in usable {
            let days = context.asOf.timeIntervalSince(db.metadata.buildDate) / 86_400
            if days > Self.staleAfterDays {
                context.facts.notes.append("IP database \(db.label) is \(Int(days / 30.4)) months older than this screening: addresses reassigned since then geolocate wrongly; prefer a current database")
            }
        }
        var notFound = 0
        var seen = Set<String>()
        for (index, event) in context.application.events.enumerated() {
            guard let raw = event.ip?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, seen.insert(raw).inserted else { continue }
            guard let address = IPAddress(raw) else {
                context.facts.notes.append("events[\(index)].ip is not an IP address; not looked up")
                continue
            }
            var fact = NetworkFact(ip: raw, source: "")
            var answered: [String] = []
            for db in usable {
                let record: IPLookup?
                do { record = try db.lookup(address.description) } catch {
                    context.facts.notes.append("events[\(index)].ip: \(error.message)")
                    continue
                }
                guard let record else { continue }
                var used = false
                func take<T>(_ keyPath: WritableKeyPath<NetworkFact, T?>, _ value: T?) {
                    if fact[keyPath: keyPath] == nil, let value { fact[keyPath: keyPath] = value; used = true }
                }
                take(\.country, record.country)
                take(\.region, record.region)
                take(\.city, record.city)
                if fact.latitude == nil, let lat = record.latitude, let lon = record.longitude {
                    fact.latitude = lat
                    fact.longitude = lon
                    used = true
                }
                take(\.timeZone, record.timeZone)
                take(\.asn, record.asn)
                take(\.asOrganization, record.asOrganization)
                if !record.networkClasses.isSubset(of: fact.networkClasses) {
                    fact.networkClasses.formUnion(record.networkClasses)
                    used = true
                }
                if used { answered.append(db.label) }
            }
            let classified = classifier.classify(address, asn: fact.asn, at: event.at)
            fact.networkClasses.formUnion(classified.classes)
            if !classified.classes.isEmpty {
                answered.append("Vetter network classification" + (classified.providers.isEmpty ? "" : " (\(classified.providers.joined(separator: ", ")))"))
            }
            guard !answered.isEmpty else { notFound += 1; continue }
            fact.source = answered.joined(separator: "; ")
            context.facts.network[raw] = fact
        }
        if notFound > 0 {
            context.facts.notes.append("\(notFound) event IP address(es) not found in any IP database (private, reserved or not covered)")
        }
        context.facts.enrichersRun.insert(usable.contains { $0.kind.hasLocation } ? name : NetworkEnrichment.classificationOnlyName)
    }
}
