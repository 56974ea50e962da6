/// The public sources cited by the built-in indicators, with the ids used in
/// `../shared/docs/indicators.md` §7.
public enum PublicSources {
    public static let s1 = SourceReference(
        id: "S1",
        title: "U.S. State, Treasury (OFAC) and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022",
        url: "https://ofac.treasury.gov/recent-actions/20220516"
    )
    public static let s2 = SourceReference(
        id: "S2", title: "FBI and partners, PSA231018 Additional Guidance on the DPRK IT Workers, 18 Oct 2023",
        url: "https://ic3.gov/PSA/2023/PSA231018"
    )
    public static let s6 = SourceReference(
        id: "S6", title: "FBI, PSA I-012325-PSA, update on DPRK IT workers, 23 Jan 2025",
        url: "https://archive.orkl.eu/331a8b28c90929275e938e101c80de6811fa6303.json"
    )
    public static let s22 = SourceReference(
        id: "S22", title: "Mandiant / Google Cloud, Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, 23 Sep 2024",
        url: "https://cloud.google.com/blog/topics/threat-intelligence/mitigating-dprk-it-worker-threat"
    )
    public static let s23 = SourceReference(
        id: "S23", title: "Google Threat Intelligence Group, DPRK IT Workers Expanding in Scope and Scale, Apr 2025",
        url: "https://cloud.google.com/blog/topics/threat-intelligence/dprk-it-workers-expanding-scope-scale/"
    )
    public static let s29 = SourceReference(
        id: "S29", title: "KnowBe4, How a North Korean Fake IT Worker Tried to Infiltrate Us, 23 Jul 2024", url: nil
    )
    public static let s30 = SourceReference(id: "S30", title: "Kraken, suspected North Korean applicant (blog, 1 May 2025)", url: nil)
    public static let s32 = SourceReference(
        id: "S32", title: "Nisos, DPRK Remote Workers Hiring Scheme: Lessons Learned, 2024",
        url: "https://www.nisos.com/blog/dprk-workers-scheme/"
    )
    public static let s34 = SourceReference(
        id: "S34", title: "Secureworks CTU, Fraudulent North Korean IT Worker Schemes (NICKEL TAPESTRY), 16 Oct 2024", url: nil
    )
    public static let s35 = SourceReference(
        id: "S35", title: "DTEX i3, Inside the DPRK: Spotting Malicious Remote IT Applicants, Oct 2024", url: nil
    )
    public static let s36 = SourceReference(
        id: "S36", title: "Security Alliance (SEAL) Frameworks, DPRK IT Workers",
        url: "https://frameworks.securityalliance.dev/insider-threats/summary.html"
    )
    public static let s37 = SourceReference(
        id: "S37", title: "German BfV, Private Sector Security Advisory 02/2024: North Korean IT Workers, 1 Oct 2024", url: nil
    )
    public static let s39 = SourceReference(
        id: "S39", title: "Cinder, We found North Korean engineers in our application pile, 2024",
        url: "https://cinder.co/blog-posts/north-korean-engineers-in-our-application-pile"
    )
    public static let s40 = SourceReference(
        id: "S40", title: "CoinDesk, How North Korea infiltrated the crypto industry, 2 Oct 2024",
        url: "https://staging.coindesk.com/fil/tech/2024/10/02/how-north-korea-infiltrated-the-crypto-industry"
    )
    public static let s46 = SourceReference(
        id: "S46", title: "FireTail, We interviewed a North Korean hacker, 28 Jul 2022",
        url: "https://firetail.io/blog/we-interviewed-north-korean-hacker-heres-what-learned"
    )
    public static let s50 = SourceReference(
        id: "S50", title: "North Koreans suspected of using fake resumes to steal crypto, Aug 2022", url: nil
    )
    public static let s58 = SourceReference(
        id: "S58",
        title: "General PDF-forensics articles on what document metadata reveals (non-DPRK; low authority)",
        url: "https://shortsingh.com/article/how-fake-payslips-fool-hr-teams-and-what-metadata-reveals-about-them"
    )
}
