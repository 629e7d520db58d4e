namespace ImageCatalog.Client;

/// <summary>Sends a token from the deployment's identity provider as <c>X-Auth-Token</c>.</summary>
public sealed class TokenAuthenticationHandler(string token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-Auth-Token");
        request.Headers.Add("X-Auth-Token", token);
        return base.SendAsync(request, cancellationToken);
    }
}
