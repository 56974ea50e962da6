import Foundation

/// Adds what the reference tables imply: the claimed location's time zones, phone
/// calling codes and disposable email domains.
public struct ReferenceEnricher: Enricher {
    public var reference: ReferenceData
    public let name = "reference"

    public init(reference: ReferenceData) {
        self.reference = reference
    }

    public func enrich(_ context: inout ScreeningContext) async {
        enrichSync(&context)
    }

    /// The same work without `async`, for tests and examples.
    public func enrichSync(_ context: inout ScreeningContext) {
        let application = context.application
        context.facts.claimedLocation = ClaimedLocation.resolve(application, reference: reference)
        let phones = PhoneNumbers(regionsByCallingCode: reference.regionsByCallingCode)
        context.facts.phones = application.candidate.phones.map(phones.parse)
        if !reference.disposableEmailDomains.isEmpty {
            context.facts.disposableEmails = application.candidate.emails.filter { email in
                guard let domain = EmailAddress.domain(email) else { return false }
                return reference.disposableEmailDomains.contains(domain)
            }
        }
        context.facts.enrichersRun.insert(name)
    }
}
