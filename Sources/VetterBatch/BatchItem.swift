import Foundation
import VetterCore

/// One input of a batch, before screening. Sources only cut the input into items; parsing,
/// mapping and screening happen in the parallel workers.
public struct BatchItem: Sendable {
    public enum Payload: Sendable {
        /// JSON bytes of one record (a JSON Lines line), mapped by `kind`.
        case json(Data, kind: RecordKind)
        /// An already parsed JSON value, mapped by `kind`.
        case value(JSONValue, kind: RecordKind)
        /// A record already mapped into `vetter.application/v1`.
        case mapped(MappedRecord)
        /// A file screened as `vetter screen` would: a record or a résumé alone.
        case file(URL)
        /// The input could not be cut out or mapped; the reason names fields, never values.
        case failure(String)
    }

    /// 0-based position in the input; the output has line `position` for it.
    public var position: Int
    /// How the input is named before it is parsed ("line 12", "row 4", a file name, an id).
    public var label: String
    public var payload: Payload
    /// Relative `resume.path` values are resolved against this folder.
    public var baseDirectory: URL?

    public init(position: Int, label: String, payload: Payload, baseDirectory: URL? = nil) {
        self.position = position
        self.label = label
        self.payload = payload
        self.baseDirectory = baseDirectory
    }
}

/// What a JSON record is.
public enum RecordKind: String, Sendable, CaseIterable {
    /// `vetter.application/v1`.
    case application
    /// A Greenhouse webhook body (`new_candidate_application`).
    case greenhouseWebhook = "greenhouse-webhook"
    /// A Lever opportunity.
    case leverOpportunity = "lever"
    /// Decide per record from its keys.
    case auto

    /// Guesses the kind of one JSON object from its keys.
    public static func detect(_ value: JSONValue) -> RecordKind {
        guard case .object(let o) = value else { return .application }
        if o["action"] != nil, o["payload"] != nil { return .greenhouseWebhook }
        if o["schema"] != nil || o["candidate"] != nil { return .application }
        if o["contact"] != nil || o["stageChanges"] != nil || (o["emails"] != nil && o["name"] != nil && o["createdAt"] != nil) {
            return .leverOpportunity
        }
        return .application
    }
}

/// A record mapped from an ATS format, with the source fields that have no place in
/// `vetter.application/v1` (field paths only, never values).
public struct MappedRecord: Sendable, Equatable {
    public var record: JSONValue
    public var unmapped: [String]
    public var adapter: String

    public init(record: JSONValue, unmapped: [String], adapter: String) {
        self.record = record
        self.unmapped = unmapped
        self.adapter = adapter
    }

    public var id: String? { record["id"]?.stringValue }
}

/// A problem that stops a batch before any work starts.
public struct BatchSetupError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, invalidInput, invalidMapping, unwritableOutput, outputExists }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// Cuts an input into items, in order. Used from one task at a time.
public protocol BatchSource {
    /// The number of items, when cheap to know in advance (for progress).
    var count: Int? { get }
    /// The next item, or nil at the end.
    mutating func next() -> BatchItem?
}

/// Which adapter reads an input.
public enum InputFormat: String, Sendable, CaseIterable {
    case auto, jsonl, directory, csv
    case greenhouseHarvest = "greenhouse-harvest"
    case greenhouseWebhook = "greenhouse-webhook"
    case lever
}

/// Opens an input with the right adapter.
public enum BatchSources {
    public struct Options: Sendable {
        public var format: InputFormat = .auto
        /// CSV column mapping (YAML or JSON).
        public var mapping: URL?
        /// Where ATS attachments (résumés) were saved.
        public var attachments: URL?
        public init(format: InputFormat = .auto, mapping: URL? = nil, attachments: URL? = nil) {
            self.format = format
            self.mapping = mapping
            self.attachments = attachments
        }
    }

    public static func open(_ input: URL, options: Options = .init()) throws(BatchSetupError) -> any BatchSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input.path, isDirectory: &isDirectory) else {
            throw BatchSetupError(.notFound, "\(input.path): input not found")
        }
        if !isDirectory.boolValue, !FileManager.default.isReadableFile(atPath: input.path) {
            throw BatchSetupError(.notFound, "\(input.path): input not readable")
        }
        var format = options.format
        if format == .auto {
            if isDirectory.boolValue {
                format = .directory
            } else {
                switch input.pathExtension.lowercased() {
                case "csv", "tsv": format = .csv
                case "json":
                    format = try detectJSONFile(input)
                    if format == .auto { return try ArraySource.json(url: input, kind: .auto, attachments: options.attachments ?? input.deletingLastPathComponent()) }
                default: format = .jsonl
                }
            }
        }
        let attachments = options.attachments ?? input.deletingLastPathComponent()
        switch format {
        case .auto, .jsonl:
            return try JSONLinesSource(url: input, kind: .auto)
        case .directory:
            return try DirectorySource(directory: input)
        case .csv:
            guard let mapping = options.mapping else {
                throw BatchSetupError(.invalidMapping, "\(input.path): a CSV input needs a column mapping (--mapping FILE); see README, Batch screening")
            }
            return try CSVSource(url: input, mapping: CSVMapping.load(mapping))
        case .greenhouseHarvest:
            return try ArraySource.harvest(url: input, attachments: attachments)
        case .greenhouseWebhook:
            return try ArraySource.json(url: input, kind: .greenhouseWebhook, attachments: attachments)
        case .lever:
            return try ArraySource.json(url: input, kind: .leverOpportunity, attachments: attachments)
        }
    }

    /// A `.json` file: a Greenhouse Harvest candidate list, a webhook body or a list of them,
    /// Lever opportunities (a list or `{"data": […]}`), or one record.
    static func detectJSONFile(_ url: URL) throws(BatchSetupError) -> InputFormat {
        let value = try ArraySource.parse(url)
        let first: JSONValue?
        switch value {
        case .array(let items): first = items.first
        case .object(let o):
            if case .array(let items)? = o["data"] { first = items.first } else { first = value }
        default: first = nil
        }
        guard let first, case .object(let o) = first else { return .auto }
        if o["applications"] != nil, o["first_name"] != nil || o["email_addresses"] != nil { return .greenhouseHarvest }
        switch RecordKind.detect(first) {
        case .greenhouseWebhook: return .greenhouseWebhook
        case .leverOpportunity: return .lever
        default: return .auto
        }
    }
}
