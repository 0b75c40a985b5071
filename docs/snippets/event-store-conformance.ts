import { InMemoryEventStore } from '@escf/testing';
import { describeEventStoreConformance } from '@escf/testing/conformance';

describeEventStoreConformance('InMemoryEventStore', () => new InMemoryEventStore());
