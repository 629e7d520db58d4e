namespace ImageCatalog.Application.Common.Exceptions;

/// <summary>The caller may see the resource but not do this to it (built-in images are changed by operators only).</summary>
public sealed class ForbiddenException(string message) : Exception(message)
{
    public static ForbiddenException BuiltIn(string what) =>
        new($"{what} is a built-in image; only operators may change or delete it.");
}
