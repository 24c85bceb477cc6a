/// A field that makes the struct holding it address-only, so the compiler lends the struct to its methods by
/// address.
///
/// A large loadable struct (an analyzer's finder: hundreds of bytes of arrays and counters) is copied, byte for byte,
/// into every call of a non-mutating method made from a mutating one; thousands of helper calls per document made
/// those copies a measurable share of the run (309.6 M → 303.2 M modelled cycles on the corpus when the finders
/// gained this field). An existential has no fixed layout the caller may load, which is what makes the holder
/// address-only; it holds nothing.
public struct PassedByAddress: Sendable {
    private let opaque: any Sendable = ()

    public init() {}
}
