using FluentValidation;
using ImageCatalog.Application.Common;
using ImageCatalog.Application.Common.Validation;
using Mediator;

namespace ImageCatalog.Application.Images.GetImage;

/// <summary>ShowImage: one image the project can see (its own, in any workspace, or a built-in one).</summary>
public sealed record GetImageQuery(string ProjectId, Guid Id) : IQuery<ImageDto>
{
    public ReadConsistency Consistency { get; init; }
}

public sealed class GetImageQueryValidator : AbstractValidator<GetImageQuery>
{
    public GetImageQueryValidator() => RuleFor(query => query.ProjectId).ProjectId();
}
