"""The site's own views: the learner's pages composed from the apps' selectors, and the
public media route."""
