using System.Net;

namespace ImageCatalog.Client;

/// <summary>The service answered with an error status; <see cref="Error"/> is its contract body when it sent one.</summary>
public sealed class ImageCatalogException(HttpStatusCode status, ApiError? error, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public ApiError? Error { get; } = error;
}

/// <summary>The service answered something that is not the contract's shape (a strict client checks every answer).</summary>
public sealed class ImageCatalogContractException(string message, Exception? inner = null) : Exception(message, inner);
