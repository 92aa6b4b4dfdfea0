import type { IResolvers } from 'mercurius';

/**
 * Resolver maps of each feature, merged into one. Each feature owns its file; a field resolved by
 * two features is a mistake, caught at start-up.
 */
export type FeatureResolvers = IResolvers;

export function mergeResolvers(features: FeatureResolvers[]): IResolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const feature of features) {
    for (const [typeName, fields] of Object.entries(feature)) {
      const target = merged[typeName] ?? {};
      merged[typeName] = target;
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`GraphQL field ${typeName}.${field} is resolved twice`);
        target[field] = resolver;
      }
    }
  }
  return merged as IResolvers;
}
