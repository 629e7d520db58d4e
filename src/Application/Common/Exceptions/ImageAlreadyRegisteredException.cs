namespace ImageCatalog.Application.Common.Exceptions;

/// <summary>The same swr_path is already registered in the same scope (project and workspace, or the built-in images).</summary>
public sealed class ImageAlreadyRegisteredException(string swrPath)
    : Exception($"The image '{swrPath}' is already registered.")
{
    public string SwrPath { get; } = swrPath;
}
