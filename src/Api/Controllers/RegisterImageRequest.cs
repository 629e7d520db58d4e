using ImageCatalog.Application.Images.RegisterImage;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.Api.Controllers;

/// <summary>The RegisterImage body (snake_case on the wire). Absent fields take the contract's defaults.</summary>
public sealed record RegisterImageRequest(
    string? SwrPath,
    string? Description,
    ImageArch? Arch,
    ImageOrigin? Origin,
    IReadOnlyList<ResourceCategory>? ResourceCategory,
    ImageServiceType? ServiceType,
    IReadOnlyList<DevService>? Services,
    ImageVisibility? Visibility,
    string? WorkspaceId,
    IReadOnlyList<string>? Tags,
    string? ReadMe,
    ImageType? Type)
{
    public RegisterImageCommand ToCommand(string projectId, bool mayWriteBuiltIn) => new(
        projectId,
        SwrPath,
        Description,
        Arch ?? ImageArch.X86_64,
        Origin ?? ImageOrigin.Customize,
        ResourceCategory,
        ServiceType ?? ImageServiceType.Unknown,
        Services,
        Visibility ?? ImageVisibility.Private,
        string.IsNullOrEmpty(WorkspaceId) ? ImageRules.DefaultWorkspaceId : WorkspaceId,
        Tags,
        ReadMe,
        Type ?? ImageType.Dedicated,
        mayWriteBuiltIn);
}
