import VetterEval

/// The MaxMind DB writer lives in VetterEval (the evaluation generator writes small databases
/// too); the network tests use it under their short names.
typealias MMDBWriter = VetterEval.MMDBWriter
typealias Layouts = VetterEval.MMDBLayouts
