import { describe, expect, it } from 'vitest';
import { MetadataKey } from '../src/metadata/metadata-keys.js';
import { getClassMetadata, getNamedMetadata } from '../src/metadata/metadata-store.js';
import { ProfileSet, profileSetHistory, Tagged } from './upcasting-fixtures.js';

describe('one metadata store for every decorator', () => {
  it('holds event definitions, upcast chains and retired events', () => {
    expect(getClassMetadata(ProfileSet, MetadataKey.Event)).toMatchObject({ type: 'ProfileSet', version: 3 });
    expect(getClassMetadata(Tagged, MetadataKey.Event)).toMatchObject({ type: 'Tagged', version: 2 });
    // @Upcast decorates the class @Event returned.
    expect(getClassMetadata(ProfileSet, MetadataKey.Upcast)).toBe(profileSetHistory);
    expect(getClassMetadata(Tagged, MetadataKey.Upcast)).toBeDefined();
    expect(getNamedMetadata(MetadataKey.RetiredEvent, 'ProfileViewed')).toBeTypeOf('function');
    expect(getNamedMetadata(MetadataKey.RetiredEvent, 'ProfileSet')).toBeUndefined();
  });

  it('hides nothing on the classes themselves', () => {
    expect(Object.getOwnPropertySymbols(ProfileSet)).toEqual([]);
    expect(Object.getOwnPropertySymbols(Tagged)).toEqual([]);
  });
});
