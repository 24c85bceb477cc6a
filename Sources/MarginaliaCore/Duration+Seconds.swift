extension Duration {
    /// The duration as fractional seconds, for timings shown to users.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
