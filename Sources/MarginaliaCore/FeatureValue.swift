/// A typed feature value on an annotation.
///
/// Features carry what an analyzer knows beyond the label: the canonical actor of an entity, the `href` of a link,
/// the polarity of a stance. They map one-to-one onto JSON values.
public enum FeatureValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([FeatureValue])
    case map([String: FeatureValue])

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload, if this is an integer.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a double, for `int` and `double` values.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    /// The boolean payload, if this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The list payload, if this is a list.
    public var listValue: [FeatureValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// A short human rendering, as the REPL shows it: strings bare, lists comma-separated.
    public var displayText: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .list(let values): return values.map(\.displayText).joined(separator: ", ")
        case .map(let values):
            return values.keys.sorted().map { "\($0)=\(values[$0]!.displayText)" }.joined(separator: ", ")
        }
    }
}

extension FeatureValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}
