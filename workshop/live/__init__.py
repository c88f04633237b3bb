"""The live room: sockets, the vote writer, live tallies, presence and the broadcaster.

Dependencies point one way, from the edge to the bottom::

    realtime (Socket.IO handlers)  ->  vote_queue, join_queue, room_cache
    vote_queue                     ->  broadcast, tallies
    broadcast                      ->  online (presence), tallies
    online, queue_resync, stats    ->  connections (who is connected to this process)

A phone's write goes handler -> service -> database -> broadcast; the broadcaster is
handed workshop ids and reads what it sends, it never calls back into the handlers.
``shutdown`` drains the vote and join queues on SIGTERM; ``facilitator_sockets`` keeps a
facilitator's sockets across processes so a logout closes them all.
"""
