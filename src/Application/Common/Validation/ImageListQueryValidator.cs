using FluentValidation;
using ImageCatalog.Domain.Images;
using ImageCatalog.Domain.Paging;

namespace ImageCatalog.Application.Common.Validation;

/// <summary>What ListImageGroup and ListImage have in common: the project, the filters and the page.</summary>
public interface IImageListQuery
{
    string ProjectId { get; }

    string? Name { get; }

    bool NameFuzzyMatch { get; }

    string? Namespace { get; }

    ImageType? Type { get; }

    string WorkspaceId { get; }

    int Limit { get; }

    int Offset { get; }
}

/// <summary>
/// The rules of <see cref="IImageListQuery"/>, inherited by each list query's own validator. A base class rather
/// than <c>Include</c>: an included validator runs through a child context per call, which on the group overview
/// cost about as much as the rules themselves.
/// </summary>
public abstract class ImageListQueryValidator<TQuery> : AbstractValidator<TQuery>
    where TQuery : IImageListQuery
{
    protected ImageListQueryValidator()
    {
        RuleFor(query => query.ProjectId).ProjectId();
        RuleFor(query => query.Name).ImageName().When(query => query.Name is not null);
        RuleFor(query => query.Namespace).ImageNamespace().When(query => query.Namespace is not null);
        RuleFor(query => query.WorkspaceId).WorkspaceId();
        RuleFor(query => query.Limit).InclusiveBetween(PageRules.MinLimit, PageRules.MaxLimit).WithMessage(PageRules.LimitRule);
        RuleFor(query => query.Offset).GreaterThanOrEqualTo(0).WithMessage(PageRules.OffsetRule);
    }
}
