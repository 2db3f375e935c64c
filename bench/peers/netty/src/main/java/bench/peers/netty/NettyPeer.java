package bench.peers.netty;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

/** Netty 4.2 peer: native epoll, pooled allocator, HttpServerCodec + HttpObjectAggregator (for POST bodies). */
public final class NettyPeer {

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        DataStore store = new DataStore();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(),
                                    new HttpObjectAggregator(1 << 20),
                                    new Handler(store, args.staticDir()));
                        }
                    })
                    .bind(args.port()).sync()
                    .channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final byte[] HELLO = "Hello, World!".getBytes();
        private final DataStore store;
        private final Path staticDir;

        Handler(DataStore store, Path staticDir) {
            this.store = store;
            this.staticDir = staticDir;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);

            if (req.method() == HttpMethod.GET && path.equals("/")) {
                send(ctx, keepAlive, HttpResponseStatus.OK, "text/plain", Unpooled.wrappedBuffer(HELLO), null);
            } else if (req.method() == HttpMethod.GET && path.equals("/echo")) {
                String msg = q < 0 ? "" : Json.queryParam(uri.substring(q + 1), "msg");
                send(ctx, keepAlive, HttpResponseStatus.OK, "application/json", Unpooled.wrappedBuffer(Json.message(msg)), null);
            } else if (req.method() == HttpMethod.POST && path.equals("/data")) {
                try {
                    DataStore.Created c = store.create(ByteBufUtil.getBytes(req.content()));
                    send(ctx, keepAlive, HttpResponseStatus.CREATED, "application/json", Unpooled.wrappedBuffer(c.json()), c.location());
                } catch (IllegalArgumentException e) {
                    send(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "text/plain", Unpooled.copiedBuffer(e.getMessage().getBytes()), null);
                }
            } else if (req.method() == HttpMethod.GET && path.startsWith("/static/")) {
                sendFile(ctx, keepAlive, QueryStringDecoder.decodeComponent(path.substring("/static/".length())));
            } else {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", Unpooled.EMPTY_BUFFER, null);
            }
        }

        private void sendFile(ChannelHandlerContext ctx, boolean keepAlive, String name) throws Exception {
            Path file = staticDir.resolve(name).normalize();
            if (name.contains("/") || !file.startsWith(staticDir) || !Files.isRegularFile(file)) {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", Unpooled.EMPTY_BUFFER, null);
                return;
            }
            RandomAccessFile raf = new RandomAccessFile(new File(file.toString()), "r");
            long length = raf.length();
            HttpResponse res = new DefaultHttpResponse(HTTP_1_1, HttpResponseStatus.OK);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, (int) length);
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(res);
            ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length)); // zero-copy sendfile(2)
            var f = ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                 String type, ByteBuf body, String location) {
            FullHttpResponse res = new DefaultFullHttpResponse(HTTP_1_1, status, body);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (location != null) res.headers().set(HttpHeaderNames.LOCATION, location);
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            var f = ctx.write(res);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
