namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The <c>Auth</c> configuration section. Access keys come in the shape a Kubernetes Secret can supply as
/// environment variables: <c>Auth__AccessKeys__0__AccessKey</c>, <c>..__SecretKey</c>, <c>..__Projects__0</c>, <c>..__Roles__0</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public List<AccessKeyCredential> AccessKeys { get; set; } = [];

    /// <summary>How far X-Sdk-Date may be from the server's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class AccessKeyCredential
{
    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Project ids this key may act on; <c>*</c> for all.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary><c>reader</c>, <c>writer</c> or <c>operator</c>; each includes the ones before it.</summary>
    public List<string> Roles { get; set; } = [];
}
