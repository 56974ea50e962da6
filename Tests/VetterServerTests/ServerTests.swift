import Testing
import HummingbirdTesting
@testable import VetterServer
