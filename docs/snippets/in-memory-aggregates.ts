import { InMemoryAggregates } from '@escf/testing';
import { User } from '../../examples/users/src/domain/index.js';

const host = new InMemoryAggregates();
const ada = host.client(User, 'ada');
await ada.create({ name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' });
