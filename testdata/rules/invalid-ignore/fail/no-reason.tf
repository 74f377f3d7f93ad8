resource "aws_s3_bucket_policy" "site" {
  bucket = "ml-demo-site"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      # mlpolicy: ignore[public-principal]
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::ml-demo-site/*"
    }]
  })
}
