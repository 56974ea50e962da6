import Testing
@testable import VetterDocuments
import VetterCore
