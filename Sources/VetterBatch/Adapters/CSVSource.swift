import Foundation
import VetterCore
import Yams

/// The column mapping for CSV input (YAML or JSON):
///
/// ```yaml
/// schema: vetter.csv-mapping/v1
/// columns:                 # CSV header → field of vetter.application/v1
///   Application ID: id
///   Applied: received_at
///   Name: candidate.name
///   Email: candidate.emails          # several values separated by ";"
///   Country: candidate.address.country
///   Resume: resume.path              # relative to the CSV file's folder
///   Submitted from: events.application_submitted.ip
///   Interview location check: events.interview.location_check   # passed, failed or not_asked
/// ignore: [Notes, Recruiter]         # columns deliberately not used
/// ```
///
/// Every header must be in `columns` or `ignore`: a row with a value in any other column is an
/// error record for that row. A column named in `columns` but missing from the header stops the
/// batch before it starts.
public struct CSVMapping: Sendable, Equatable {
    public var columns: [String: String]
    public var ignore: Set<String>
    public var delimiter: UInt8

    public static let scalarTargets: Set<String> = [
        "id", "received_at", "job.id", "job.title", "job.country", "job.remote", "job.requires_residence",
        "candidate.name", "candidate.claimed_timezone", "candidate.work_authorization",
        "candidate.address.line", "candidate.address.city", "candidate.address.region", "candidate.address.postal_code", "candidate.address.country",
        "resume.path", "resume.text",
        "onboarding.shipping_address.line", "onboarding.shipping_address.city", "onboarding.shipping_address.region",
        "onboarding.shipping_address.postal_code", "onboarding.shipping_address.country", "onboarding.shipping_address_changed_after_offer",
        "onboarding.payment.method", "onboarding.payment.account_holder", "onboarding.payment.bank_country", "onboarding.payment.account_fingerprint",
    ]
    public static let listTargets: Set<String> = ["candidate.emails", "candidate.phones", "candidate.links"]
    public static let boolTargets: Set<String> = ["job.remote", "job.requires_residence", "onboarding.shipping_address_changed_after_offer"]
    public static let eventFields: Set<String> = ["at", "ip", "user_agent", "browser_timezone", "utc_offset_minutes"]
    /// What an interviewer recorded, under the event's `observations` (an interview scorecard's columns).
    public static let observationFields: Set<String> = ["camera_on", "camera_accommodation", "display_name", "location_check"]
    static let boolObservations: Set<String> = ["camera_on", "camera_accommodation"]

    public init(columns: [String: String], ignore: Set<String> = [], delimiter: UInt8 = UInt8(ascii: ",")) {
        self.columns = columns
        self.ignore = ignore
        self.delimiter = delimiter
    }

    /// Whether a target is one the mapping can fill.
    public static func isValidTarget(_ target: String) -> Bool {
        if scalarTargets.contains(target) || listTargets.contains(target) { return true }
        let parts = target.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "events" && !parts[1].isEmpty
            && (eventFields.contains(String(parts[2])) || observationFields.contains(String(parts[2])))
    }

    public static func load(_ url: URL) throws(BatchSetupError) -> CSVMapping {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw BatchSetupError(.invalidMapping, "\(url.path): mapping file not found or not UTF-8")
        }
        return try parse(text, name: url.path)
    }

    public static func parse(_ text: String, name: String = "mapping") throws(BatchSetupError) -> CSVMapping {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch {  // YAML is a superset of JSON
            throw BatchSetupError(.invalidMapping, "\(name): not valid YAML or JSON")
        }
        guard let rawRoot = loaded as? [AnyHashable: Any] else { throw BatchSetupError(.invalidMapping, "\(name): expected a mapping with `columns`") }
        let root = Dictionary(uniqueKeysWithValues: rawRoot.map { ("\($0.key)", $0.value) })
        for key in root.keys where !["schema", "columns", "ignore", "delimiter"].contains(key) {
            throw BatchSetupError(.invalidMapping, "\(name): unknown key `\(key)` (known: schema, columns, ignore, delimiter)")
        }
        if let schema = root["schema"] as? String, schema != "vetter.csv-mapping/v1" {
            throw BatchSetupError(.invalidMapping, "\(name): schema \(schema) is not vetter.csv-mapping/v1")
        }
        guard let raw = root["columns"] as? [AnyHashable: Any], !raw.isEmpty else {
            throw BatchSetupError(.invalidMapping, "\(name): `columns` must map CSV headers to fields")
        }
        var columns: [String: String] = [:]
        for (header, target) in raw {
            guard let target = target as? String else { throw BatchSetupError(.invalidMapping, "\(name): columns.\(header): expected a field name") }
            guard isValidTarget(target) else {
                throw BatchSetupError(.invalidMapping, "\(name): columns.\(header): unknown field `\(target)` (see README, Batch screening)")
            }
            columns["\(header)"] = target
        }
        let ignore = Set((root["ignore"] as? [Any] ?? []).map { "\($0)" })
        var delimiter = UInt8(ascii: ",")
        if let d = root["delimiter"] as? String {
            guard d.utf8.count == 1 || d == "\\t" else { throw BatchSetupError(.invalidMapping, "\(name): delimiter must be one character") }
            delimiter = d == "\\t" || d == "\t" ? 0x09 : d.utf8.first!
        }
        return CSVMapping(columns: columns, ignore: ignore, delimiter: delimiter)
    }

    /// Maps one row (header → cell) into a record. Errors name the column, never the value.
    public func map(_ row: [String: String], rowNumber: Int, fallbackID: String) -> Result<MappedRecord, MappingError> {
        var problems: [String] = []
        var unmapped: [String] = []
        var root: [String: JSONValue] = ["schema": .string("vetter.application/v1")]
        var candidate: [String: JSONValue] = [:], job: [String: JSONValue] = [:], address: [String: JSONValue] = [:]
        var shipping: [String: JSONValue] = [:], payment: [String: JSONValue] = [:], onboarding: [String: JSONValue] = [:]
        var resume: [String: JSONValue] = [:]
        var events: [String: [String: JSONValue]] = [:], observations: [String: [String: JSONValue]] = [:]
        var eventOrder: [String] = []
        for header in row.keys.sorted() {
            let cell = row[header]!.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let target = columns[header] else {
                if !ignore.contains(header), !cell.isEmpty { problems.append("column \(header) is not in the mapping (add it to columns or ignore)") }
                continue
            }
            if cell.isEmpty { continue }
            var value: JSONValue = .string(cell)
            let parts = target.split(separator: ".").map(String.init)
            if Self.boolTargets.contains(target) || (parts[0] == "events" && Self.boolObservations.contains(parts[2])) {
                switch cell.lowercased() {
                case "true", "yes", "y", "1": value = .bool(true)
                case "false", "no", "n", "0": value = .bool(false)
                default: problems.append("column \(header) (\(target)): expected true or false"); continue
                }
            }
            if Self.listTargets.contains(target) {
                value = .array(cell.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 != .string("") })
            }
            switch parts[0] {
            case "id", "received_at": root[parts[0]] = value
            case "job": job[parts[1]] = value
            case "resume": resume[parts[1]] = value
            case "candidate":
                if parts[1] == "address" {
                    address[parts[2] == "line" ? "lines" : parts[2]] = parts[2] == "line" ? .array([value]) : value
                } else {
                    candidate[parts[1]] = value
                }
            case "onboarding":
                if parts[1] == "shipping_address" {
                    shipping[parts[2] == "line" ? "lines" : parts[2]] = parts[2] == "line" ? .array([value]) : value
                } else if parts[1] == "payment" {
                    payment[parts[2]] = value
                } else {
                    onboarding[parts[1]] = value
                }
            case "events":
                if events[parts[1]] == nil { eventOrder.append(parts[1]); events[parts[1]] = ["type": .string(parts[1])] }
                if parts[2] == "utc_offset_minutes" {
                    guard let minutes = Int(cell) else { problems.append("column \(header) (\(target)): expected whole minutes"); continue }
                    value = .number(Double(minutes))
                }
                if Self.observationFields.contains(parts[2]) {
                    observations[parts[1], default: [:]][parts[2]] = value
                } else {
                    events[parts[1]]![parts[2]] = value
                }
            default: unmapped.append(header)
            }
        }
        if !problems.isEmpty { return .failure(MappingError("row \(rowNumber): " + problems.joined(separator: "; "))) }
        if root["id"] == nil { root["id"] = .string(fallbackID) }
        if !address.isEmpty { candidate["address"] = .object(address) }
        if !candidate.isEmpty { root["candidate"] = .object(candidate) }
        if !job.isEmpty { root["job"] = .object(job) }
        if !resume.isEmpty { root["resume"] = .object(resume) }
        if !shipping.isEmpty { onboarding["shipping_address"] = .object(shipping) }
        if !payment.isEmpty { onboarding["payment"] = .object(payment) }
        if !onboarding.isEmpty { root["onboarding"] = .object(onboarding) }
        if !eventOrder.isEmpty {
            root["events"] = .array(eventOrder.map { type in
                var event = events[type]!
                if event["at"] == nil, let received = root["received_at"] { event["at"] = received }
                if let recorded = observations[type] { event["observations"] = .object(recorded) }
                return .object(event)
            })
        }
        return .success(MappedRecord(record: .object(root), unmapped: unmapped, adapter: "csv"))
    }
}

/// A CSV file (RFC 4180: quoted fields may hold delimiters, quotes and newlines) with a header row.
public struct CSVSource: BatchSource {
    let bytes: [UInt8]
    var offset = 0
    let header: [String]
    let mapping: CSVMapping
    let base: URL
    let stem: String
    var row = 1
    var position = 0
    public let count: Int?

    public init(url: URL, mapping: CSVMapping) throws(BatchSetupError) {
        guard let data = try? Data(contentsOf: url) else { throw BatchSetupError(.notFound, "\(url.path): input not readable") }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.mapping = mapping
        self.base = url.deletingLastPathComponent()
        self.stem = url.deletingPathExtension().lastPathComponent
        var offset = 0
        guard let header = CSVSource.record(bytes, &offset, delimiter: mapping.delimiter) else {
            throw BatchSetupError(.invalidInput, "\(url.path): the CSV file has no header row")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        self.header = names
        self.offset = offset
        let missing = mapping.columns.keys.filter { !names.contains($0) }.sorted()
        if !missing.isEmpty {
            throw BatchSetupError(.invalidMapping, "\(url.path): the mapping names columns the CSV header does not have: \(missing.joined(separator: ", "))")
        }
        var probe = offset, n = 0
        while let r = CSVSource.record(bytes, &probe, delimiter: mapping.delimiter) { if !(r.count == 1 && r[0].isEmpty) { n += 1 } }
        count = n
    }

    public mutating func next() -> BatchItem? {
        while let fields = CSVSource.record(bytes, &offset, delimiter: mapping.delimiter) {
            row += 1
            if fields.count == 1 && fields[0].isEmpty { continue }
            defer { position += 1 }
            let label = "row \(row)"
            guard fields.count <= header.count else {
                return BatchItem(position: position, label: label, payload: .failure("row \(row): \(fields.count) cells but the header has \(header.count) columns"), baseDirectory: base)
            }
            var values: [String: String] = [:]
            for (index, name) in header.enumerated() { values[name] = index < fields.count ? fields[index] : "" }
            switch mapping.map(values, rowNumber: row, fallbackID: "\(stem)-row-\(row)") {
            case .success(let record): return BatchItem(position: position, label: record.id ?? label, payload: .mapped(record), baseDirectory: base)
            case .failure(let error): return BatchItem(position: position, label: label, payload: .failure(error.message), baseDirectory: base)
            }
        }
        return nil
    }

    /// Reads one record at `offset`; nil at the end of the input.
    static func record(_ bytes: [UInt8], _ offset: inout Int, delimiter: UInt8) -> [String]? {
        guard offset < bytes.count else { return nil }
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = offset
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false }
                } else {
                    field.append(b)
                }
            } else if b == 0x22, field.isEmpty {
                quoted = true
            } else if b == delimiter {
                fields.append(String(decoding: field, as: UTF8.self)); field = []
            } else if b == 0x0A {
                i += 1
                break
            } else if b != 0x0D {
                field.append(b)
            }
            i += 1
        }
        fields.append(String(decoding: field, as: UTF8.self))
        offset = i
        return fields
    }
}
