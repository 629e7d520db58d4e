namespace ImageCatalog.Application.Common.Exceptions;

/// <summary>An <c>Idempotency-Key</c> that already answered a different registration in the same project.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"The Idempotency-Key '{key}' was already used with a different request body.");
