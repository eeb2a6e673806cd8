/*
 * worktree.h: a session's project across git worktrees.
 *
 * Each linked worktree of one repository (git worktree add) is a checkout
 * of its own path, but one project: worktree_project() names a cwd inside
 * one by the main checkout's path and the same path below it
 * (/src/app-wt/lib -> /src/app/lib). worktree.c says how.
 */
#ifndef DREAMD_WORKTREE_H
#define DREAMD_WORKTREE_H

/* The main checkout's name for cwd (malloc'd), or NULL to keep cwd. */
char *worktree_project(const char *cwd);

#endif
