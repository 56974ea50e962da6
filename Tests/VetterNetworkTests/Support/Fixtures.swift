import Foundation
import VetterCore
@testable import VetterNetwork

/// Test databases built from documentation ranges (RFC 5737 / RFC 3849) and the DPRK netblock.
enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let configDirectory = repoRoot.appendingPathComponent("Config")

    /// A fresh folder per call, so parallel tests never share files.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-network-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func city(type: String = "GeoLite2-City", ipVersion: Int = 6) -> MMDBWriter {
        var w = MMDBWriter(databaseType: type, ipVersion: ipVersion)
        w.insert("203.0.113.0/24", Layouts.city("US", region: "TX", city: "Austin", lat: 30.27, lon: -97.74, zone: "America/Chicago"))
        w.insert("198.51.100.0/24", Layouts.city("CN", region: "SH", city: "Shanghai", lat: 31.23, lon: 121.47, zone: "Asia/Shanghai"))
        w.insert("175.45.176.0/22", Layouts.city("KP", city: "Pyongyang", lat: 39.03, lon: 125.75, zone: "Asia/Pyongyang"))
        w.insert("192.0.2.0/24", Layouts.city("IE", city: "Dublin", lat: 53.35, lon: -6.26, zone: "Europe/Dublin"))
        if ipVersion == 6 {
            w.insert("2001:db8::/32", Layouts.city("DE", city: "Berlin", lat: 52.52, lon: 13.40, zone: "Europe/Berlin"))
        }
        return w
    }

    static func asn(type: String = "GeoLite2-ASN") -> MMDBWriter {
        var w = MMDBWriter(databaseType: type)
        w.insert("175.45.176.0/22", Layouts.asn(131279, "Ryugyong-dong"))
        w.insert("198.51.100.0/24", Layouts.asn(14061, "DIGITALOCEAN-ASN"))
        w.insert("203.0.113.0/24", Layouts.asn(64496, "Example Cable"))
        return w
    }

    static func write(_ writer: MMDBWriter, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try writer.write(to: url)
        return url.path
    }

    static let reference: ReferenceData = {
        do { return try ReferenceData.load(configDirectory: configDirectory) } catch { fatalError("reference data: \(error)") }
    }()

    /// Decodes a record (adding an id) and resolves the claimed location.
    static func context(_ record: String) throws -> ScreeningContext {
        var json = record.trimmingCharacters(in: .whitespacesAndNewlines)
        json.insert(contentsOf: #""id": "test-1", "#, at: json.index(after: json.startIndex))
        let result = ApplicationDecoder().decode(Data(json.utf8))
        guard let application = result.application else {
            throw FixtureError(message: "record problems: \(result.problems)")
        }
        var context = ScreeningContext(application: application, asOf: Date(timeIntervalSince1970: 1_790_000_000))
        ReferenceEnricher(reference: reference).enrichSync(&context)
        return context
    }

    struct FixtureError: Error { var message: String }
}

extension IndicatorOutcome {
    var didFire: Bool { if case .fired = self { return true } else { return false } }
    var skipReason: String? { if case .skipped(let r) = self { return r } else { return nil } }
    var scale: Double? { if case .fired(_, _, let s, _) = self { return s } else { return nil } }
    var variant: String? { if case .fired(_, _, _, let v) = self { return v } else { return nil } }
}
