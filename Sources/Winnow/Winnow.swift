@_exported public import WinnowIntake
@_exported public import WinnowModel

/// Winnow's version, reported in every report's provenance.
public enum WinnowVersion {
    public static let engine = "0.1.0"
}
