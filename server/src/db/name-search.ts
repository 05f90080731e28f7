/**
 * A case-insensitive "name contains" filter that takes `text` literally.
 * Prisma turns `contains` into ILIKE without escaping, so % and _ in a
 * search would be wildcards ("%" would match everything); they, and LIKE's
 * escape character itself, are escaped here.
 */
export function nameContains(text: string) {
  return { name: { contains: text.replace(/[\\%_]/g, (c) => `\\${c}`), mode: "insensitive" as const } };
}
