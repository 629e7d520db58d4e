namespace ImageCatalog.Application.Common.Exceptions;

/// <summary>The resource does not exist, or the caller's project cannot see it; the two are not told apart.</summary>
public sealed class NotFoundException(string message) : Exception(message)
{
    public static NotFoundException Image(Guid id) => new($"The image '{id}' does not exist.");

    public static NotFoundException Group(Guid id) => new($"The image group '{id}' does not exist.");
}
