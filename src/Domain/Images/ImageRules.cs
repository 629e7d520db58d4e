using System.Text.RegularExpressions;

namespace ImageCatalog.Domain.Images;

/// <summary>
/// The naming rules of the image API (CONTRACT.md sections 1 and 2), written once so that every
/// validator, the register command and the documentation agree.
/// </summary>
public static partial class ImageRules
{
    public const int NameMaxLength = 512;
    public const int NamespaceMaxLength = 64;
    public const int TagMaxLength = 128;
    public const int ProjectIdMaxLength = 64;
    public const string DefaultWorkspaceId = "0";

    public const string NameRule = "must be 1-512 characters of lowercase letters, digits, '.', '_' or '-'";
    public const string NamespaceRule =
        "must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a lowercase letter";
    public const string TagRule =
        "must be 1-128 characters of letters, digits, '.', '_' or '-', not starting with '.' or '-'";
    public const string WorkspaceIdRule = "must be '0' or exactly 32 characters of lowercase letters and digits";
    public const string ProjectIdRule = "must be 1-64 characters of letters, digits, '_' or '-'";

    public static bool IsValidName(string? value) =>
        value is { Length: > 0 and <= NameMaxLength } && NamePattern().IsMatch(value);

    public static bool IsValidNamespace(string? value) =>
        value is { Length: > 0 and <= NamespaceMaxLength } && NamespacePattern().IsMatch(value);

    public static bool IsValidTag(string? value) =>
        value is { Length: > 0 and <= TagMaxLength } && TagPattern().IsMatch(value);

    public static bool IsValidWorkspaceId(string? value) =>
        value is not null && WorkspaceIdPattern().IsMatch(value);

    public static bool IsValidProjectId(string? value) =>
        value is { Length: > 0 and <= ProjectIdMaxLength } && ProjectIdPattern().IsMatch(value);

    // \A and \z rather than ^ and $: "$" also matches before a trailing newline.
    [GeneratedRegex(@"\A[a-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\A[a-z][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\A(?:0|[0-9a-z]{32})\z", RegexOptions.CultureInvariant)]
    private static partial Regex WorkspaceIdPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectIdPattern();
}
