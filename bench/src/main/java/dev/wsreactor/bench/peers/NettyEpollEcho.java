package dev.wsreactor.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Netty 4.1 tuned as its users tune it for throughput: the native epoll transport, {@code N} event loops (the
 * listening socket on one of them, each connection on one for its life), every frame written without a flush
 * and one flush per read batch ({@code channelReadComplete}), so pipelined frames cost one system call per batch.
 *
 * <pre>java ... dev.wsreactor.bench.peers.NettyEpollEcho PORT [EVENT_LOOPS (default 1)]</pre>
 */
public final class NettyEpollEcho {

    private NettyEpollEcho() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the native epoll transport is not available", Epoll.unavailabilityCause());
        }
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        EventLoopGroup group = new EpollEventLoopGroup(loops);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
                .checkStartsWith(true).maxFramePayloadLength(64 << 20).build();
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config), new BatchingEcho());
                    }
                }).bind("127.0.0.1", Integer.parseInt(args[0])).sync();
        System.out.println("Netty epoll echo server listening on " + args[0] + " with " + loops + " event loops");
    }

    /** Writes each data frame back as it comes and flushes once when the read batch is over. */
    static final class BatchingEcho extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.write(frame.retain(), ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }
    }
}
